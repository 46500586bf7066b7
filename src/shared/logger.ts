import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs (one object per line) for machines. Secrets never reach a log line: every logger
 * redacts the fields that could carry one.
 */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'imagine-credits', ...bindings },
    redact: { paths: ['token', '*.token', 'secret', '*.secret', 'password', '*.password', 'authorization', '*.authorization', 'url', '*.url'], censor: '[redacted]' },
  });
}

// A real pino logger whose lines a test can read back: what an operator's log collector sees.
import { createLogger, type Logger, type LoggerOptions } from '../../src/shared/logger.js';

export interface CapturedLog {
  readonly log: Logger;
  /** Every line written so far, exactly as printed. */
  readonly raw: string[];
  /** The same lines, parsed. */
  lines(): Record<string, unknown>[];
}

export function captureLog(level = 'debug', options: Omit<LoggerOptions, 'destination'> = {}): CapturedLog {
  const raw: string[] = [];
  const log = createLogger(level, {}, { ...options, destination: { write: (line: string) => void raw.push(line) } });
  return { log, raw, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

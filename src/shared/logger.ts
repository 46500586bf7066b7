import { pino, type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

/**
 * LOG_FORMAT as it applies to this process: `auto` is pretty when stdout is a terminal (someone
 * reading it) and JSON otherwise (a log collector, a pipe, a container's log driver).
 */
export const resolveLogFormat = (format: LogFormat | 'auto', stdoutIsTerminal: boolean): LogFormat =>
  format === 'auto' ? (stdoutIsTerminal ? 'pretty' : 'json') : format;

export interface LoggerOptions {
  /** `json` (one object per line, for machines) or `pretty` (colours, for a developer's terminal). @defaultValue 'json' */
  readonly format?: LogFormat;
  /** Where lines go. @defaultValue stdout */
  readonly destination?: DestinationStream;
  /**
   * Values that must never be printed (tokens, keys, passwords). Whatever field or error message
   * they hide in, they are replaced on the way out, as a net under the field-name redaction.
   */
  readonly secrets?: readonly (string | undefined)[];
}

const redactedFields = ['token', 'secret', 'secretKey', 'webhookSecret', 'password', 'authorization', 'url', 'apiKey'];

/** Replaces every occurrence of each secret (and its JSON-escaped form) in a log line. */
export function secretScrubber(secrets: readonly (string | undefined)[]): (line: string) => string {
  // Short values would match ordinary text; real tokens and keys are long.
  const needles = [
    ...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 8).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)])),
  ].sort((a, b) => b.length - a.length);
  if (needles.length === 0) return (line) => line;
  return (line) => needles.reduce((out, needle) => (out.includes(needle) ? out.replaceAll(needle, '[redacted]') : out), line);
}

/**
 * JSON logs (one object per line) for machines, or pretty ones for a terminal. Secrets never
 * reach a log line: fields that could carry one are redacted by name, and the configured secret
 * values are scrubbed from the finished line wherever they appear.
 */
export function createLogger(level: string, bindings: Record<string, unknown> = {}, options: LoggerOptions = {}): Logger {
  const scrub = secretScrubber(options.secrets ?? []);
  // pino-pretty as an in-process stream rather than a worker-thread transport: nothing to
  // resolve at run time, lines keep their order, and none is lost on exit (sync). Colours only
  // when the output is a terminal.
  const destination =
    options.destination ??
    (options.format === 'pretty' ? pinoPretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }) : undefined);
  const settings = {
    level,
    base: { service: 'imagine-credits', ...bindings },
    redact: { paths: redactedFields.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]), censor: '[redacted]' },
    hooks: { streamWrite: scrub },
  };
  return destination ? pino(settings, destination) : pino(settings);
}

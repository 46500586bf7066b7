/**
 * Where a piece of work (one job attempt, one interaction) writes its log lines. The adapter
 * hands in a logger already bound to the work's id, so every line carries it without each
 * caller repeating it. A pino child logger is one.
 */
export interface WorkLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

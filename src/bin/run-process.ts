// Shared life cycle of the entry points: preflight, start, and a clean stop on SIGTERM/SIGINT
// (a second signal forces the exit).
import './load-env.js';
import { configSecrets } from '../config.js';
import { createLogger, resolveLogFormat, type Logger } from '../shared/logger.js';
import { preflight, PreflightError, type Preflight, type PreflightOptions } from './preflight.js';

export async function runProcess(
  role: string,
  start: (ready: Preflight, log: Logger) => Promise<{ stop(): Promise<void> }>,
  options: PreflightOptions = {},
): Promise<void> {
  let ready: Preflight;
  try {
    ready = await preflight(options);
  } catch (error) {
    console.error(error instanceof PreflightError ? `Cannot start ${role}: ${error.message}` : error);
    process.exit(1);
  }
  const log = createLogger(
    ready.config.logLevel,
    { role },
    { format: resolveLogFormat(ready.config.logFormat, process.stdout.isTTY === true), secrets: configSecrets(ready.config) },
  );
  // Signals are handled from the start: one that arrives while starting stops once started.
  const starting = start(ready, log);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    starting
      .then((running) => running.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await starting;
}

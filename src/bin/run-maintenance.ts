// The ledger's housekeeping, run by every worker process: the expiry sweep, on a timer.
// Several processes may sweep at once; the ledger skips lots another sweep holds.
import { createDatabase } from '../db/client.js';
import { createSqlLedger } from '../ledger/sql-ledger.js';
import type { Logger } from '../shared/logger.js';
import { sweepExpiredCredits } from '../use-cases/sweep-expired-credits.js';
import type { Preflight } from './preflight.js';

const sweepEveryMs = 60_000;

export function runMaintenance({ config }: Preflight, log: Logger): { stop(): Promise<void> } {
  const db = createDatabase(config.database);
  const ledger = createSqlLedger(db.pool);
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = sweepExpiredCredits({ ledger })
      .then((swept) => {
        if (swept.lots > 0) log.info({ lots: swept.lots, credits: swept.credits }, 'expired credits swept');
      })
      .catch((error: unknown) => log.error({ err: error }, 'expiry sweep failed; will retry'));
  };
  sweep();
  const timer = setInterval(sweep, sweepEveryMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await db.close();
    },
  };
}

import type { ExpirySweep, Ledger } from './ports/ledger.js';

export interface SweepExpiredCreditsOptions {
  readonly ledger: Ledger;
  /** Lots per database call; each call is one short transaction. @defaultValue 500 */
  readonly batchSize?: number;
}

/**
 * Writes expiry entries for every lot past its expiry. Balances never count expired credits
 * either way; the sweep makes the ledger say so, so /history shows when credits lapsed.
 */
export async function sweepExpiredCredits({ ledger, batchSize = 500 }: SweepExpiredCreditsOptions): Promise<ExpirySweep> {
  const total = { lots: 0, credits: 0 };
  for (;;) {
    const swept = await ledger.expire(batchSize);
    total.lots += swept.lots;
    total.credits += swept.credits;
    if (swept.lots < batchSize) return total;
  }
}

import type { JobStore } from './ports/job-store.js';

export interface PruneStaleQuotesOptions {
  readonly jobs: JobStore;
  readonly now: Date;
  /**
   * How long an unconfirmed quote is kept after it expired: until then its Generate button says
   * "expired", afterwards "no longer exists". @defaultValue 7 days
   */
  readonly keepExpiredMs?: number;
  /** Quotes per database call; each call is one short statement. @defaultValue 1000 */
  readonly batchSize?: number;
}

/**
 * Deletes quotes nobody confirmed, some days after they expired. Every /imagine stores a quote
 * and most are never confirmed (members look at prices), so without this the table only grows.
 * Nothing here touches credits: a quote holds none until it is confirmed, and confirmed quotes
 * are kept. Returns how many were deleted.
 */
export async function pruneStaleQuotes({ jobs, now, keepExpiredMs = 7 * 24 * 60 * 60 * 1000, batchSize = 1000 }: PruneStaleQuotesOptions): Promise<number> {
  const expiredBefore = new Date(now.getTime() - keepExpiredMs);
  let total = 0;
  for (;;) {
    const deleted = await jobs.pruneQuotes(expiredBefore, batchSize);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

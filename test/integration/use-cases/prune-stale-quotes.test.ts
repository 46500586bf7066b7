// Unconfirmed quotes are deleted a week after they expired; confirmed ones, fresh ones and
// credits are untouched, and a confirmed quote's late double click still finds its job.
import { describe, expect, it } from 'vitest';
import { pruneStaleQuotes } from '../../../src/use-cases/prune-stale-quotes.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { confirm, fund, guildId, newMember, quote, usePipeline } from '../../support/pipeline-fixture.js';

const f = usePipeline(1);
const day = 24 * 60 * 60 * 1000;
const quoteIds = async (userId: string) =>
  (await f.database.sql.query<{ id: string; status: string }>(`SELECT id, status FROM quote WHERE user_id = $1 ORDER BY created_at`, [userId])).rows;

describe('pruning stale quotes', () => {
  it('deletes never-confirmed quotes a week after they expired, in batches, and nothing else', async () => {
    const userId = newMember();
    await fund(f, userId, 100);
    const later = new Date(Date.now() + 8 * day);
    // Expired long before `later` − 7 days: open, and cancelled.
    const staleOpen = await quote(f, userId, 2, undefined, 60_000);
    const staleCancelled = await quote(f, userId, 2, undefined, 60_000);
    expect(await f.jobs.cancelQuote(staleCancelled, userId)).toBe(true);
    const moreStale = await Promise.all(Array.from({ length: 5 }, () => quote(f, userId, 2, undefined, 60_000)));
    // Confirmed (kept), and one that expires only in 2 days (within the week after expiry at `later`).
    const confirmedQuote = await quote(f, userId, 2, undefined, 60_000);
    const confirmed = await confirm(f, confirmedQuote, userId);
    expect(confirmed.ok).toBe(true);
    const recent = await quote(f, userId, 2, undefined, 2 * day);

    expect(await pruneStaleQuotes({ jobs: f.jobs, now: later, batchSize: 3 })).toBe(7);
    const left = await quoteIds(userId);
    expect(left.map((q) => q.id).sort()).toEqual([confirmedQuote, recent].sort());
    expect(left.map((q) => q.id)).not.toContain(staleOpen);
    expect(await pruneStaleQuotes({ jobs: f.jobs, now: later })).toBe(0);

    // The confirmed quote still answers a late double click with its job, charged once.
    const again = await confirm(f, confirmedQuote, userId);
    expect(again.ok && confirmed.ok && again.value.jobId).toBe(confirmed.ok ? confirmed.value.jobId : null);
    expect(again.ok && again.value.replayed).toBe(true);
    // A pruned quote's Generate button is refused as not found, and moves nothing.
    expect(await confirm(f, moreStale[0]!, userId)).toMatchObject({ ok: false, error: { code: 'quote_not_found' } });
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 98, held: 2 });
    await expectLedgerConsistent(f.database);
  });
});

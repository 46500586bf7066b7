// Expiry meets settlement: the sweep and a refund racing at a lot's expiry (issue 12: no credit leaks).
import { describe, expect, it } from 'vitest';
import { expectLedgerConsistent, uniqueUser, useLedger } from '../../support/ledger-fixture.js';

const guildId = 'guild-expiry';
const f = useLedger();
const minutes = (n: number) => n * 60_000;
const hours = (n: number) => n * 60 * minutes(1);
const setClock = (at: Date) => f.setClock(at);

async function lotsOf(userId: string) {
  const { rows } = await f.database.sql.query(
    `SELECT id, kind, amount, remaining, expires_at, restored_from_lot_id FROM credit_lot WHERE user_id = $1 ORDER BY id`, [userId]);
  return rows as { id: string; kind: string; amount: number; remaining: number; expires_at: Date | null; restored_from_lot_id: string | null }[];
}

/** Waits until a statement calling `fn` is waiting for a row lock. */
async function waitForLockWait(fn: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await f.database.sql.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%' || $1 || '%'`, [fn]);
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`nothing calling ${fn} waited for a lock`);
}

async function freeLot(userId: string, amount: number, expiresAt: Date, key = `free:${userId}:${expiresAt.toISOString()}`) {
  const granted = await f.ledger.grant({ key, userId, guildId, kind: 'free', amount, expiresAt, actorId: 'system', reason: 'free daily credits' });
  if (!granted.ok) throw new Error(granted.error.code);
  return granted.value.lotId;
}

async function hold(userId: string, amount: number) {
  const held = await f.ledger.hold({ key: `job:${userId}:${Math.random()}`, userId, guildId, amount, actorId: userId, reason: 'job' });
  if (!held.ok) throw new Error(held.error.code);
  return held.value.holdId;
}

describe('the expiry sweep racing a refund', () => {
  it('a refund that lands after the sweep emptied its lot does not wedge the sweep', async () => {
    const userId = uniqueUser();
    const start = new Date('2026-11-22T12:00:00Z');
    await setClock(start);
    const expiresAt = new Date(start.getTime() + hours(1));
    await freeLot(userId, 20, expiresAt);
    const holdId = await hold(userId, 15);

    // The sweep runs just after the expiry and empties the lot (5 left in it)...
    await setClock(new Date(expiresAt.getTime() + minutes(1)));
    expect(await f.ledger.expire()).toMatchObject({ credits: 5 });
    // ...then a refund whose clock still said "before the expiry" (a slow one) lands.
    await setClock(new Date(expiresAt.getTime() - 1000));
    expect(await f.ledger.settle({ holdId, capture: 0, actorId: 'worker', reason: 'provider failed' })).toMatchObject({ ok: true, value: { refunded: 15 } });

    // Every later sweep still works, minute after minute.
    for (const later of [2, 3, 4]) {
      await setClock(new Date(expiresAt.getTime() + minutes(later)));
      await expect(f.ledger.expire()).resolves.toBeDefined();
    }
    // The refunded share is not in the emptied lot: a lot the sweep closed stays closed.
    const [original] = await lotsOf(userId);
    expect(original!.remaining).toBe(0);
    await expectLedgerConsistent(f.database);
  });

  it('a refund waiting for the lot while the sweep expires it goes to a restored lot, and every sweep after works', async () => {
    const userId = uniqueUser();
    const start = new Date('2026-11-23T12:00:00Z');
    await setClock(start);
    const expiresAt = new Date(start.getTime() + hours(1));
    const lotId = await freeLot(userId, 20, expiresAt);
    const holdId = await hold(userId, 15);

    await setClock(new Date(expiresAt.getTime() + minutes(1)));
    const sweeper = await f.database.sql.connect();
    try {
      // The sweep has locked and emptied the lot but not committed yet...
      await sweeper.query('BEGIN');
      await sweeper.query('SELECT * FROM ledger_expire(1000)');
      // ...when a refund arrives, on a clock that (for it) still reads before the expiry.
      await setClock(new Date(expiresAt.getTime() - 1000));
      const refund = f.ledger.settle({ holdId, capture: 0, actorId: 'worker', reason: 'provider failed' });
      await waitForLockWait('ledger_settle');
      await sweeper.query('COMMIT');
      expect(await refund).toMatchObject({ ok: true, value: { refunded: 15 } });
    } finally {
      sweeper.release();
    }
    const lots = await lotsOf(userId);
    expect(lots.find((lot) => lot.id === String(lotId))!.remaining).toBe(0);
    expect(lots.find((lot) => lot.restored_from_lot_id === String(lotId))).toMatchObject({ remaining: 15 });
    for (const later of [2, 3]) {
      await setClock(new Date(expiresAt.getTime() + hours(later)));
      await expect(f.ledger.expire()).resolves.toBeDefined();
    }
    await expectLedgerConsistent(f.database);
  });
});

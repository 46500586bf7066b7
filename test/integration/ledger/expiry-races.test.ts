// Expiry meets settlement: the sweep and a refund racing at a lot's expiry, and refunds of shares
// whose lot expired while they were held (issue 12: no credit leaks).
import { describe, expect, it } from 'vitest';
import { expectLedgerConsistent, uniqueUser, useLedger } from '../../support/ledger-fixture.js';

const guildId = 'guild-expiry';
const f = useLedger();
const minutes = (n: number) => n * 60_000;
const hours = (n: number) => n * 60 * minutes(1);
const setClock = (at: Date) => f.setClock(at);

async function lotsOf(userId: string) {
  const { rows } = await f.database.sql.query(
    `SELECT id, kind, amount, remaining, expires_at, restored_from_lot_id FROM credit_lot WHERE user_id = $1 ORDER BY id`,
    [userId],
  );
  return rows as { id: string; kind: string; amount: number; remaining: number; expires_at: Date | null; restored_from_lot_id: string | null }[];
}

/** Waits until a statement calling `fn` is waiting for a row lock. */
async function waitForLockWait(fn: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await f.database.sql.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%' || $1 || '%'`,
      [fn],
    );
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

describe('a refund of credits whose lot expired while they were held', () => {
  it('keeps the lot’s expiry plus a short grace, and a share restored again gets no new grace', async () => {
    const userId = uniqueUser();
    const start = new Date('2026-11-22T12:00:00Z');
    await setClock(start);
    const expiresAt = new Date(start.getTime() + hours(1));
    const lotId = await freeLot(userId, 20, expiresAt);
    const first = await hold(userId, 15);

    await setClock(new Date(expiresAt.getTime() + minutes(10)));
    await f.ledger.expire();
    await f.ledger.settle({ holdId: first, capture: 0, actorId: 'worker', reason: 'failed' });
    const restored = (await lotsOf(userId)).find((lot) => lot.restored_from_lot_id === String(lotId))!;
    // The grace runs from the original expiry, not from the refund.
    expect(restored).toMatchObject({ kind: 'free', remaining: 15 });
    expect(restored.expires_at!.getTime()).toBe(expiresAt.getTime() + hours(1));
    expect((await f.ledger.balance(userId, guildId)).available).toBe(15);

    // Held again from the restored lot, and refunded after that lot too has expired.
    const second = await hold(userId, 15);
    await setClock(new Date(expiresAt.getTime() + hours(3)));
    await f.ledger.settle({ holdId: second, capture: 0, actorId: 'worker', reason: 'failed again' });
    const again = (await lotsOf(userId)).find((lot) => lot.restored_from_lot_id === restored.id)!;
    expect(again.expires_at!.getTime()).toBe(restored.expires_at!.getTime());
    expect((await f.ledger.balance(userId, guildId)).available).toBe(0);
    await f.ledger.expire();
    expect((await lotsOf(userId)).every((lot) => lot.remaining === 0)).toBe(true);
    await expectLedgerConsistent(f.database);
  });

  it('free credits held across midnight in failing jobs do not pile up night after night', async () => {
    const userId = uniqueUser();
    const day = (n: number, time = '00:00') => new Date(`2026-11-${String(21 + n).padStart(2, '0')}T${time}:00Z`);
    const freeBalance = async () => (await f.ledger.balance(userId, guildId)).buckets.free.available;

    // Day 1, 23:30: today's 20 free credits go into a job that fails after midnight.
    await setClock(day(1, '23:30'));
    await freeLot(userId, 20, day(2), `free:${userId}:day1`);
    const job1 = await hold(userId, 20);
    await setClock(day(2, '00:30'));
    await f.ledger.expire();
    await f.ledger.settle({ holdId: job1, capture: 0, actorId: 'worker', reason: 'failed' });
    // Day 2: the member spends everything free on a job that fails after the next midnight.
    await freeLot(userId, 20, day(3), `free:${userId}:day2`);
    const job2 = await hold(userId, await freeBalance());
    await setClock(day(3, '00:30'));
    await f.ledger.expire();
    await f.ledger.settle({ holdId: job2, capture: 0, actorId: 'worker', reason: 'failed' });
    await freeLot(userId, 20, day(4), `free:${userId}:day3`);

    // Day 3, noon: today's 20, nothing carried over from earlier days.
    await setClock(day(3, '12:00'));
    await f.ledger.expire();
    expect(await freeBalance()).toBe(20);
    await expectLedgerConsistent(f.database);
  });
});

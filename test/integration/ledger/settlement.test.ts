import { describe, expect, it } from 'vitest';
import type { HoldId } from '../../../src/use-cases/ports/ledger.js';
import { expectLedgerConsistent, uniqueUser, useLedger } from '../../support/ledger-fixture.js';

const guildId = 'guild-settle';
const f = useLedger();
const hours = (n: number) => n * 60 * 60 * 1000;

async function holdOf(userId: string, amount: number, key = `${userId}:${amount}:${Math.random()}`): Promise<HoldId> {
  const hold = await f.ledger.hold({ key, userId, guildId, amount, actorId: userId, reason: 'job' });
  if (!hold.ok) throw new Error(`hold failed: ${JSON.stringify(hold.error)}`);
  return hold.value.holdId;
}

async function lotsOf(userId: string) {
  const { rows } = await f.database.sql.query(`SELECT id, kind, remaining, expires_at, restored_from_lot_id FROM credit_lot WHERE user_id = $1 ORDER BY id`, [
    userId,
  ]);
  return rows as { id: string; kind: string; remaining: number; expires_at: Date | null; restored_from_lot_id: string | null }[];
}

describe('settling holds', () => {
  it('captures a whole hold: the credits are spent and nothing comes back', async () => {
    const userId = uniqueUser();
    await f.ledger.grant({ key: `g:${userId}`, userId, guildId, kind: 'grant', amount: 100, expiresAt: null, actorId: 'admin', reason: 'gift' });
    const holdId = await holdOf(userId, 30);
    const settled = await f.ledger.settle({ holdId, capture: 30, actorId: 'worker', reason: 'delivered 1 image' });
    expect(settled).toEqual({ ok: true, value: { holdId, status: 'captured', captured: 30, refunded: 0, replayed: false } });
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 70, held: 0 });
    await expectLedgerConsistent(f.database);
  });

  it('refunds a whole hold back to the lots it came from', async () => {
    const userId = uniqueUser();
    await f.ledger.grant({
      key: `free:${userId}`,
      userId,
      guildId,
      kind: 'free',
      amount: 10,
      expiresAt: new Date(f.clock.now.getTime() + hours(5)),
      actorId: 'system',
      reason: 'free',
    });
    await f.ledger.grant({ key: `top:${userId}`, userId, guildId: null, kind: 'topup', amount: 50, expiresAt: null, actorId: 'stripe', reason: 'pack' });
    const holdId = await holdOf(userId, 25);
    expect((await lotsOf(userId)).map((l) => l.remaining)).toEqual([0, 35]);
    const settled = await f.ledger.settle({ holdId, capture: 0, actorId: 'worker', reason: 'provider failed' });
    expect(settled.ok && settled.value.status).toBe('refunded');
    expect((await lotsOf(userId)).map((l) => l.remaining)).toEqual([10, 50]);
    await expectLedgerConsistent(f.database);
  });

  it('a partly failed batch keeps the soonest-expiring credits spent and returns the rest', async () => {
    const userId = uniqueUser();
    await f.ledger.grant({
      key: `free:${userId}`,
      userId,
      guildId,
      kind: 'free',
      amount: 12,
      expiresAt: new Date(f.clock.now.getTime() + hours(5)),
      actorId: 'system',
      reason: 'free',
    });
    await f.ledger.grant({ key: `top:${userId}`, userId, guildId: null, kind: 'topup', amount: 100, expiresAt: null, actorId: 'stripe', reason: 'pack' });
    // A batch of 4 for 30 credits: 12 from free, 18 from the top-up. One image fails: 3 of 4 delivered.
    const holdId = await holdOf(userId, 30);
    const settled = await f.ledger.settle({ holdId, capture: 23, actorId: 'worker', reason: '3 of 4 images delivered' });
    expect(settled).toMatchObject({ ok: true, value: { status: 'captured', captured: 23, refunded: 7 } });
    // The free credits were spent; the 7 refunded return to the top-up, which never expires.
    expect((await lotsOf(userId)).map((l) => l.remaining)).toEqual([0, 89]);
    await expectLedgerConsistent(f.database);
  });

  it('a refund into a lot that expired meanwhile comes back as a lot of the same kind, until that expiry plus a short grace', async () => {
    const userId = uniqueUser();
    const expiresAt = new Date(f.clock.now.getTime() + hours(1));
    await f.ledger.grant({ key: `free:${userId}`, userId, guildId, kind: 'free', amount: 20, expiresAt, actorId: 'system', reason: 'free' });
    const holdId = await holdOf(userId, 15);
    const before = f.clock.now;
    await f.setClock(new Date(before.getTime() + hours(1.5)));
    try {
      await f.ledger.expire();
      const settled = await f.ledger.settle({ holdId, capture: 0, actorId: 'reaper', reason: 'job timed out' });
      expect(settled).toMatchObject({ ok: true, value: { status: 'refunded', refunded: 15 } });
      const lots = await lotsOf(userId);
      expect(lots).toHaveLength(2);
      const [original, restored] = lots;
      expect(original!.remaining).toBe(0);
      expect(restored).toMatchObject({ kind: 'free', remaining: 15, restored_from_lot_id: original!.id });
      expect(restored!.expires_at!.getTime()).toBe(expiresAt.getTime() + hours(1));
      expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 15, held: 0 });
      await expectLedgerConsistent(f.database);
    } finally {
      await f.setClock(before);
    }
  });

  it('settling again with the same capture is a replay; a different one is refused with the first result', async () => {
    const userId = uniqueUser();
    await f.ledger.grant({ key: `g:${userId}`, userId, guildId, kind: 'grant', amount: 50, expiresAt: null, actorId: 'admin', reason: 'gift' });
    const holdId = await holdOf(userId, 20);
    await f.ledger.settle({ holdId, capture: 20, actorId: 'worker', reason: 'delivered' });
    const replay = await f.ledger.settle({ holdId, capture: 20, actorId: 'worker', reason: 'delivered' });
    expect(replay).toEqual({ ok: true, value: { holdId, status: 'captured', captured: 20, refunded: 0, replayed: true } });
    const refundAfterCapture = await f.ledger.settle({ holdId, capture: 0, actorId: 'worker', reason: 'failed event after success' });
    expect(refundAfterCapture).toEqual({ ok: false, error: { code: 'already_settled', holdId, status: 'captured', captured: 20, refunded: 0 } });
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 30, held: 0 });
    await expectLedgerConsistent(f.database);
  });

  it('refuses to capture more than was held, and changes nothing', async () => {
    const userId = uniqueUser();
    await f.ledger.grant({ key: `g:${userId}`, userId, guildId, kind: 'grant', amount: 50, expiresAt: null, actorId: 'admin', reason: 'gift' });
    const holdId = await holdOf(userId, 20);
    const over = await f.ledger.settle({ holdId, capture: 21, actorId: 'worker', reason: 'bug' });
    expect(over.ok ? over.value : over.error.code).toBe('invalid_input');
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 30, held: 20 });
    // The boundary itself is fine.
    expect((await f.ledger.settle({ holdId, capture: 20, actorId: 'worker', reason: 'ok' })).ok).toBe(true);
  });

  it('reports an unknown hold as not found', async () => {
    const missing = '00000000-0000-4000-8000-000000000000' as HoldId;
    expect(await f.ledger.settle({ holdId: missing, capture: 0, actorId: 'worker', reason: 'x' })).toEqual({
      ok: false,
      error: { code: 'hold_not_found', holdId: missing },
    });
    expect(await f.ledger.settle({ holdId: 'not-a-uuid' as HoldId, capture: 0, actorId: 'worker', reason: 'x' })).toEqual({
      ok: false,
      error: { code: 'hold_not_found', holdId: 'not-a-uuid' },
    });
  });
});

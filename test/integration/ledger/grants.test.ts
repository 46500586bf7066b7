import { describe, expect, it } from 'vitest';
import { expectLedgerConsistent, uniqueUser, useLedger } from '../../support/ledger-fixture.js';

const guildId = 'guild-grants';
const f = useLedger();
const days = (n: number) => n * 24 * 60 * 60 * 1000;

async function entryCount(userId: string): Promise<number> {
  const { rows } = await f.database.sql.query(`SELECT count(*)::int AS n FROM ledger_entry WHERE user_id = $1`, [userId]);
  return rows[0].n;
}

describe('grants', () => {
  it('a replayed grant key returns the first lot and creates nothing', async () => {
    const userId = uniqueUser();
    const input = { key: `entitlement:${userId}`, userId, guildId: null, kind: 'topup' as const, amount: 500, expiresAt: null, actorId: 'discord', reason: 'pack' };
    const first = await f.ledger.grant(input);
    const second = await f.ledger.grant(input);
    const third = await f.ledger.grant({ ...input, amount: 9999 });
    expect(first.ok && first.value.replayed).toBe(false);
    expect(second).toEqual({ ok: true, value: { ...(first.ok ? first.value : {}), replayed: true } });
    expect(third.ok && third.value.amount).toBe(500);
    expect((await f.ledger.balance(userId, 'any-guild')).available).toBe(500);
    expect(await entryCount(userId)).toBe(1);
  });

  it('top-ups follow the member to every guild; guild grants stay in their guild', async () => {
    const userId = uniqueUser();
    await f.ledger.grant({ key: `t:${userId}`, userId, guildId: null, kind: 'topup', amount: 100, expiresAt: null, actorId: 'stripe', reason: 'pack' });
    await f.ledger.grant({ key: `g:${userId}`, userId, guildId: 'guild-a', kind: 'grant', amount: 40, expiresAt: null, actorId: 'admin', reason: 'gift' });
    expect((await f.ledger.balance(userId, 'guild-a')).available).toBe(140);
    expect((await f.ledger.balance(userId, 'guild-b')).available).toBe(100);
  });

  it('free daily credits are granted once per day and expire at the reset', async () => {
    const userId = uniqueUser();
    const expiresAt = new Date('2026-11-23T00:00:00Z');
    const first = await f.ledger.grantDailyFree({ userId, guildId, amount: 20, periodKey: '2026-11-22', expiresAt });
    const again = await f.ledger.grantDailyFree({ userId, guildId, amount: 20, periodKey: '2026-11-22', expiresAt });
    expect(first.ok && first.value?.amount).toBe(20);
    expect(again).toEqual({ ok: true, value: null });
    const balance = await f.ledger.balance(userId, guildId);
    expect(balance.buckets.free).toEqual({ available: 20, nextExpiry: expiresAt });
    const nextDay = await f.ledger.grantDailyFree({ userId, guildId, amount: 20, periodKey: '2026-11-23', expiresAt: new Date('2026-11-24T00:00:00Z') });
    expect(nextDay.ok && nextDay.value?.amount).toBe(20);
  });

  it('a tier allowance is granted once per period; an upgrade grants the difference; a downgrade grants nothing', async () => {
    const userId = uniqueUser();
    const period = { userId, guildId, periodKey: '2026-W47', expiresAt: new Date('2026-11-23T00:00:00Z') };
    expect((await f.ledger.grantTierAllowance({ ...period, tierName: 'starter', allowance: 200 })).ok).toBe(true);
    expect(await f.ledger.grantTierAllowance({ ...period, tierName: 'starter', allowance: 200 })).toEqual({ ok: true, value: null });
    const upgrade = await f.ledger.grantTierAllowance({ ...period, tierName: 'pro', allowance: 450 });
    expect(upgrade.ok && upgrade.value?.amount).toBe(250);
    expect(await f.ledger.grantTierAllowance({ ...period, tierName: 'starter', allowance: 200 })).toEqual({ ok: true, value: null });
    expect(await f.ledger.grantTierAllowance({ ...period, tierName: 'pro', allowance: 450 })).toEqual({ ok: true, value: null });
    expect((await f.ledger.balance(userId, guildId)).buckets.tier.available).toBe(450);
    const nextWeek = await f.ledger.grantTierAllowance({ ...period, periodKey: '2026-W48', tierName: 'starter', allowance: 200 });
    expect(nextWeek.ok && nextWeek.value?.amount).toBe(200);
  });

  it('two tiers seen at the same moment never grant both allowances in full', async () => {
    const userId = uniqueUser();
    const period = { userId, guildId, periodKey: '2026-W47', expiresAt: new Date('2026-11-23T00:00:00Z') };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        f.ledger.grantTierAllowance({ ...period, tierName: i % 2 ? 'pro' : 'starter', allowance: i % 2 ? 450 : 200 })),
    );
    expect((await f.ledger.balance(userId, guildId)).buckets.tier.available).toBe(450);
    await expectLedgerConsistent(f.database);
  });
});

describe('revoking', () => {
  it('takes only unspent, unheld credits of the revocable kinds, all or nothing', async () => {
    const userId = uniqueUser();
    await f.ledger.grant({ key: `g:${userId}`, userId, guildId, kind: 'grant', amount: 100, expiresAt: null, actorId: 'admin', reason: 'gift' });
    await f.ledger.grant({ key: `t:${userId}`, userId, guildId: null, kind: 'topup', amount: 500, expiresAt: null, actorId: 'stripe', reason: 'pack' });
    const hold = await f.ledger.hold({ key: `h:${userId}`, userId, guildId, amount: 60, actorId: userId, reason: 'job' });
    expect(hold.ok).toBe(true);
    // 40 grant credits are unspent and unheld; the top-up is not the admin's to take.
    const tooMuch = await f.ledger.revoke({ key: `r1:${userId}`, userId, guildId, amount: 41, kinds: ['grant'], actorId: 'admin', reason: 'abuse' });
    expect(tooMuch).toEqual({ ok: false, error: { code: 'nothing_to_revoke', kinds: ['grant'], available: 40, requested: 41 } });
    expect((await f.ledger.balance(userId, guildId)).available).toBe(540);
    const exact = await f.ledger.revoke({ key: `r2:${userId}`, userId, guildId, amount: 40, kinds: ['grant'], actorId: 'admin', reason: 'abuse' });
    expect(exact).toEqual({ ok: true, value: { revoked: 40, replayed: false } });
    const replay = await f.ledger.revoke({ key: `r2:${userId}`, userId, guildId, amount: 40, kinds: ['grant'], actorId: 'admin', reason: 'abuse' });
    expect(replay).toEqual({ ok: true, value: { revoked: 40, replayed: true } });
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 500, held: 60 });
    await expectLedgerConsistent(f.database);
  });

  it('refuses to revoke top-ups, whatever the caller asks', async () => {
    const userId = uniqueUser();
    await f.ledger.grant({ key: `t:${userId}`, userId, guildId: null, kind: 'topup', amount: 500, expiresAt: null, actorId: 'stripe', reason: 'pack' });
    const result = await f.ledger.revoke({ key: `r:${userId}`, userId, guildId, amount: 10, kinds: ['topup' as 'grant'], actorId: 'admin', reason: 'x' });
    expect(!result.ok && result.error.code).toBe('invalid_input');
    expect((await f.ledger.balance(userId, guildId)).available).toBe(500);
  });
});

describe('expiry', () => {
  it('the sweep writes an expiry entry for what is left, once', async () => {
    const userId = uniqueUser();
    const now = f.clock.now;
    await f.ledger.grant({ key: `free:${userId}`, userId, guildId, kind: 'free', amount: 20, expiresAt: new Date(now.getTime() + days(1)), actorId: 'system', reason: 'free' });
    await f.ledger.hold({ key: `h:${userId}`, userId, guildId, amount: 5, actorId: userId, reason: 'job' });
    f.clock.now = new Date(now.getTime() + days(2));
    try {
      expect((await f.ledger.balance(userId, guildId)).available).toBe(0);
      const first = await f.ledger.expire();
      expect(first.credits).toBeGreaterThanOrEqual(15);
      const { rows } = await f.database.sql.query(`SELECT kind, delta_available FROM ledger_entry WHERE user_id = $1 AND kind = 'expire'`, [userId]);
      expect(rows).toEqual([{ kind: 'expire', delta_available: -15 }]);
      await f.ledger.expire();
      const { rows: again } = await f.database.sql.query(`SELECT count(*)::int AS n FROM ledger_entry WHERE user_id = $1 AND kind = 'expire'`, [userId]);
      expect(again[0].n).toBe(1);
      await expectLedgerConsistent(f.database);
    } finally {
      f.clock.now = now;
    }
  });
});

describe('balance', () => {
  it('shows each bucket, what running jobs hold, and the total', async () => {
    const userId = uniqueUser();
    const reset = new Date(f.clock.now.getTime() + days(1));
    await f.ledger.grantDailyFree({ userId, guildId, amount: 20, periodKey: 'd', expiresAt: reset });
    await f.ledger.grantTierAllowance({ userId, guildId, periodKey: 'w', tierName: 'starter', allowance: 200, expiresAt: new Date(f.clock.now.getTime() + days(7)) });
    await f.ledger.grant({ key: `t:${userId}`, userId, guildId: null, kind: 'topup', amount: 500, expiresAt: null, actorId: 'stripe', reason: 'pack' });
    await f.ledger.hold({ key: `h:${userId}`, userId, guildId, amount: 30, actorId: userId, reason: 'job' });
    const balance = await f.ledger.balance(userId, guildId);
    expect(balance).toEqual({
      buckets: {
        free: { available: 0, nextExpiry: null },
        tier: { available: 190, nextExpiry: new Date(f.clock.now.getTime() + days(7)) },
        topup: { available: 500, nextExpiry: null },
        grant: { available: 0, nextExpiry: null },
      },
      available: 690,
      held: 30,
    });
  });
});

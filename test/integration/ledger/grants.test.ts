import { beforeAll, describe, expect, it } from 'vitest';
import { expectLedgerConsistent, mapRoleToTier, uniqueUser, useLedger } from '../../support/ledger-fixture.js';

const guildId = 'guild-grants';
const f = useLedger();
beforeAll(async () => {
  for (const tier of ['starter', 'pro', 'ultra']) await mapRoleToTier(f.database, guildId, tier);
});
const days = (n: number) => n * 24 * 60 * 60 * 1000;

async function entryCount(userId: string): Promise<number> {
  const { rows } = await f.database.sql.query(`SELECT count(*)::int AS n FROM ledger_entry WHERE user_id = $1`, [userId]);
  return rows[0].n;
}

describe('grants', () => {
  it('a replayed grant key returns the first lot and creates nothing', async () => {
    const userId = uniqueUser();
    const input = {
      key: `entitlement:${userId}`,
      userId,
      guildId: null,
      kind: 'topup' as const,
      amount: 500,
      expiresAt: null,
      actorId: 'discord',
      reason: 'pack',
    };
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
    const freeFor = (periodKey: string, at: Date) => f.ledger.grantAllowances({ userId, guildId, free: { amount: 20, periodKey, expiresAt: at } });
    const first = await freeFor('2026-11-22', expiresAt);
    const again = await freeFor('2026-11-22', expiresAt);
    expect(first.ok && first.value.free?.amount).toBe(20);
    expect(again.ok && again.value.free).toBeNull();
    expect(again.ok && again.value.tier).toBeNull();
    const balance = await f.ledger.balance(userId, guildId);
    expect(balance.buckets.free).toEqual({ available: 20, nextExpiry: expiresAt });
    expect(again.ok && again.value.balance).toEqual(balance);
    const nextDay = await freeFor('2026-11-23', new Date('2026-11-24T00:00:00Z'));
    expect(nextDay.ok && nextDay.value.free?.amount).toBe(20);
  });

  it('a tier allowance is granted once per period; an upgrade grants the difference; a downgrade grants nothing', async () => {
    const userId = uniqueUser();
    const period = {
      periodKey: '2026-W47',
      expiresAt: new Date('2026-11-23T00:00:00Z'),
      periodStart: new Date('2026-11-16T00:00:00Z'),
      periodEnd: new Date('2026-11-23T00:00:00Z'),
    };
    const nextWeek = {
      periodKey: '2026-W48',
      expiresAt: new Date('2026-11-30T00:00:00Z'),
      periodStart: period.periodEnd,
      periodEnd: new Date('2026-11-30T00:00:00Z'),
    };
    const tierGrant = async (tierName: string, allowance: number, week = period) => {
      const granted = await f.ledger.grantAllowances({ userId, guildId, tier: { ...week, tierName, allowance } });
      if (!granted.ok) throw new Error(JSON.stringify(granted.error));
      return granted.value.tier;
    };
    expect(await tierGrant('starter', 200)).toMatchObject({ amount: 200, replayed: false });
    expect(await tierGrant('starter', 200)).toBeNull();
    expect((await tierGrant('pro', 450))?.amount).toBe(250);
    expect(await tierGrant('starter', 200)).toBeNull();
    expect(await tierGrant('pro', 450)).toBeNull();
    expect((await f.ledger.balance(userId, guildId)).buckets.tier.available).toBe(450);
    expect((await tierGrant('starter', 200, nextWeek))?.amount).toBe(200);
  });

  it('no period is granted twice, whichever periods overlap: another length, or one that starts on a purchase date', async () => {
    const userId = uniqueUser();
    const at = (iso: string) => new Date(`${iso}T00:00:00Z`);
    const grantFor = async (periodKey: string, tierName: string, allowance: number, periodStart: Date, periodEnd: Date) => {
      const granted = await f.ledger.grantAllowances({
        userId,
        guildId,
        tier: { periodKey, tierName, allowance, periodStart, periodEnd, expiresAt: periodEnd },
      });
      if (!granted.ok) throw new Error(JSON.stringify(granted.error));
      return granted.value.tier?.amount ?? 0;
    };
    // Starter through a role, for the calendar week of Monday 23 November: 200.
    expect(await grantFor('weekly:2026-W48', 'starter', 200, at('2026-11-23'), at('2026-11-30'))).toBe(200);
    // Pro bought on Wednesday, its week running to the next Wednesday: the difference, 250.
    expect(await grantFor('purchase:A:1', 'pro', 450, at('2026-11-25'), at('2026-12-02'))).toBe(250);
    // The role's next calendar week overlaps the purchased week, which gave more: nothing.
    expect(await grantFor('weekly:2026-W49', 'starter', 200, at('2026-11-30'), at('2026-12-07'))).toBe(0);
    // The purchase renews on Wednesday: its new week overlaps only the role's week, which gave nothing.
    expect(await grantFor('purchase:A:2', 'pro', 450, at('2026-12-02'), at('2026-12-09'))).toBe(450);
    // Replays give nothing more.
    expect(await grantFor('purchase:A:2', 'pro', 450, at('2026-12-02'), at('2026-12-09'))).toBe(0);
    // A monthly tier for December overlaps what the purchased weeks reaching into it gave (250 + 450): 1000 − 700.
    expect(await grantFor('monthly:2026-12', 'ultra', 1000, at('2026-12-01'), at('2027-01-01'))).toBe(300);
    await expectLedgerConsistent(f.database);
  });

  it('two tiers seen at the same moment never grant both allowances in full', async () => {
    const userId = uniqueUser();
    const period = {
      periodKey: '2026-W47',
      expiresAt: new Date('2026-11-23T00:00:00Z'),
      periodStart: new Date('2026-11-16T00:00:00Z'),
      periodEnd: new Date('2026-11-23T00:00:00Z'),
    };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        f.ledger.grantAllowances({ userId, guildId, tier: { ...period, tierName: i % 2 ? 'pro' : 'starter', allowance: i % 2 ? 450 : 200 } }),
      ),
    );
    expect((await f.ledger.balance(userId, guildId)).buckets.tier.available).toBe(450);
    await expectLedgerConsistent(f.database);
  });

  it('grants both in one call and answers with the balance after them, once however many arrive at once', async () => {
    const userId = uniqueUser();
    const reset = new Date('2026-11-23T00:00:00Z');
    const week = new Date('2026-11-30T00:00:00Z');
    const input = {
      userId,
      guildId,
      free: { amount: 20, periodKey: '2026-11-22', expiresAt: reset },
      tier: {
        periodKey: 'week:2026-W48',
        expiresAt: week,
        periodStart: new Date('2026-11-23T00:00:00Z'),
        periodEnd: new Date('2026-11-30T00:00:00Z'),
        tierName: 'starter',
        allowance: 200,
      },
    };
    const all = await Promise.all(Array.from({ length: 12 }, () => f.ledger.grantAllowances(input)));
    const granted = all.map((result) => (result.ok ? result.value : null));
    expect(granted.filter((g) => g?.free !== null)).toHaveLength(1);
    expect(granted.filter((g) => g?.tier !== null)).toHaveLength(1);
    const balance = await f.ledger.balance(userId, guildId);
    expect(balance).toMatchObject({
      available: 220,
      held: 0,
      buckets: { free: { available: 20, nextExpiry: reset }, tier: { available: 200, nextExpiry: week } },
    });
    // Whoever came last saw both grants; nobody saw more than was granted.
    expect(granted.every((g) => g !== null && g.balance.available <= 220)).toBe(true);
    expect(granted.some((g) => g?.balance.available === 220)).toBe(true);
    await expectLedgerConsistent(f.database);
  });

  it('nothing due (amounts of 0, or no parts) grants nothing and still answers the balance', async () => {
    const userId = uniqueUser();
    await f.ledger.grant({ key: `t:${userId}`, userId, guildId: null, kind: 'topup', amount: 70, expiresAt: null, actorId: 'stripe', reason: 'pack' });
    const zero = await f.ledger.grantAllowances({
      userId,
      guildId,
      free: { amount: 0, periodKey: 'd', expiresAt: new Date('2026-11-23T00:00:00Z') },
      tier: {
        periodKey: 'w',
        expiresAt: new Date('2026-11-30T00:00:00Z'),
        periodStart: new Date('2026-11-23T00:00:00Z'),
        periodEnd: new Date('2026-11-30T00:00:00Z'),
        tierName: 'none',
        allowance: 0,
      },
    });
    expect(zero.ok && [zero.value.free, zero.value.tier, zero.value.balance.available]).toEqual([null, null, 70]);
    const none = await f.ledger.grantAllowances({ userId, guildId });
    expect(none.ok && none.value.balance.buckets.topup.available).toBe(70);
  });

  it('refuses bad input by field and grants nothing', async () => {
    const userId = uniqueUser();
    const bad = await f.ledger.grantAllowances({ userId, guildId, free: { amount: -5, periodKey: 'd', expiresAt: new Date('2026-11-23T00:00:00Z') } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'free.amount' } });
    const noName = await f.ledger.grantAllowances({
      userId,
      guildId,
      tier: {
        periodKey: 'w',
        expiresAt: new Date('2026-11-30T00:00:00Z'),
        periodStart: new Date('2026-11-23T00:00:00Z'),
        periodEnd: new Date('2026-11-30T00:00:00Z'),
        tierName: ' ',
        allowance: 10,
      },
    });
    expect(noName).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'tier.tierName' } });
    expect((await f.ledger.balance(userId, guildId)).available).toBe(0);
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
    await f.ledger.grant({
      key: `free:${userId}`,
      userId,
      guildId,
      kind: 'free',
      amount: 20,
      expiresAt: new Date(now.getTime() + days(1)),
      actorId: 'system',
      reason: 'free',
    });
    await f.ledger.hold({ key: `h:${userId}`, userId, guildId, amount: 5, actorId: userId, reason: 'job' });
    await f.setClock(new Date(now.getTime() + days(2)));
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
      await f.setClock(now);
    }
  });
});

describe('balance', () => {
  it('shows each bucket, what running jobs hold, and the total', async () => {
    const userId = uniqueUser();
    const reset = new Date(f.clock.now.getTime() + days(1));
    await f.ledger.grantAllowances({
      userId,
      guildId,
      free: { amount: 20, periodKey: 'd', expiresAt: reset },
      tier: {
        periodKey: 'w',
        tierName: 'starter',
        allowance: 200,
        expiresAt: new Date(f.clock.now.getTime() + days(7)),
        periodStart: f.clock.now,
        periodEnd: new Date(f.clock.now.getTime() + days(7)),
      },
    });
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

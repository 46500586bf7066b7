// The admin credit functions under concurrency: the daily cap and the once-per-job refund are
// decided in PostgreSQL, so racing admins cannot exceed the one or repeat the other.
import { describe, expect, it } from 'vitest';
import { createSqlAdminCredits } from '../../../src/ledger/sql-admin-credits.js';
import { expectLedgerConsistent, uniqueUser } from '../../support/ledger-fixture.js';
import { aRequest, usePipeline } from '../../support/pipeline-fixture.js';

const f = usePipeline(3);
const guildId = 'guild-admin-credits';
const admins = () => createSqlAdminCredits(f.database.db.pool);

describe('admin grants', () => {
  it('ten admins granting at once stay within the daily cap; owners are not counted', async () => {
    const userId = uniqueUser();
    const grant = (interactionId: string, actorId: string, dailyCap: number | null) =>
      admins().grant({
        interactionId,
        userId,
        guildId,
        amount: 30,
        expiresAt: null,
        actorId,
        reason: 'race',
        dailyCap,
        uncappedActorIds: ['owner'],
      });
    expect((await grant(`${userId}-owner`, 'owner', null)).ok).toBe(true);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => grant(`${userId}-${i}`, `admin-${i}`, 100)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error)).toEqual(Array(7).fill({ code: 'over_daily_cap', cap: 100, grantedToday: 90 }));
    expect((await f.ledger.balance(userId, guildId)).buckets.grant.available).toBe(30 + 90);
    // A replay of a granted interaction answers as a replay even though the cap is reached.
    const winner = results.findIndex((r) => r.ok);
    expect(await grant(`${userId}-${winner}`, `admin-${winner}`, 100)).toEqual({ ok: true, value: { outcome: 'replayed', amount: 30, expiresAt: null } });
    await expectLedgerConsistent(f.database);
  });

  it('refuses bad input without writing', async () => {
    const userId = uniqueUser();
    const refused = await admins().grant({
      interactionId: 'x',
      userId,
      guildId,
      amount: 0,
      expiresAt: null,
      actorId: 'a',
      reason: 'r',
      dailyCap: null,
      uncappedActorIds: [],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'amount' } });
    expect((await f.ledger.balance(userId, guildId)).available).toBe(0);
  });
});

/** A finished job of `userId` that charged `price`. */
async function chargedJob(userId: string, price: number): Promise<string> {
  await f.ledger.grant({
    key: `fund:${userId}:${price}:${Math.random()}`,
    userId,
    guildId: null,
    kind: 'topup',
    amount: price,
    expiresAt: null,
    actorId: 'test',
    reason: 'fund',
  });
  const quoteId = await f.jobs.createQuote({
    userId,
    guildId,
    channelId: 'c',
    request: aRequest(),
    breakdown: {},
    price,
    tierName: 'none',
    expiresAt: new Date(Date.now() + 60_000),
  });
  const confirmed = await f.credits.confirmQuote({ quoteId, userId, priority: 10, deadlineAt: new Date(Date.now() + 60_000) });
  if (!confirmed.ok) throw new Error('confirm failed');
  await f.credits.finish(confirmed.value.jobId, { delivered: 1, failureReason: null, memberMessage: null, providerCostUsd: 0.01, predictTimeSeconds: null });
  return confirmed.value.jobId;
}

describe('one daily cap for gifts and refunds', () => {
  it('counts refunds with gifts, so "generate, refund, repeat" stops at the cap; owners are not counted', async () => {
    const userId = uniqueUser();
    const refund = (jobId: string, actorId: string, dailyCap: number | null) =>
      admins().refundJob({ jobId, guildId, actorId, reason: 'again', dailyCap, uncappedActorIds: ['owner'] });
    // Four finished 8-credit jobs; 10 credits gifted today by an admin (cap 30); then refunds.
    const jobs = [await chargedJob(userId, 8), await chargedJob(userId, 8), await chargedJob(userId, 8), await chargedJob(userId, 8)];
    expect(
      (
        await admins().grant({
          interactionId: `${userId}-gift`,
          userId,
          guildId,
          amount: 10,
          expiresAt: null,
          actorId: 'admin',
          reason: 'gift',
          dailyCap: 30,
          uncappedActorIds: ['owner'],
        })
      ).ok,
    ).toBe(true);
    expect(await refund(jobs[0]!, 'admin', 30)).toMatchObject({ ok: true, value: { outcome: 'refunded', amount: 8 } });
    expect(await refund(jobs[1]!, 'admin', 30)).toMatchObject({ ok: true, value: { outcome: 'refunded', amount: 8 } });
    // 26 given today: one more 8-credit refund would pass 30.
    expect(await refund(jobs[2]!, 'admin', 30)).toEqual({ ok: true, value: { outcome: 'over_daily_cap', userId, amount: 8, cap: 30, givenToday: 26 } });
    // A gift now counts the refunds too.
    expect(
      await admins().grant({
        interactionId: `${userId}-gift-2`,
        userId,
        guildId,
        amount: 5,
        expiresAt: null,
        actorId: 'admin',
        reason: 'gift',
        dailyCap: 30,
        uncappedActorIds: ['owner'],
      }),
    ).toEqual({ ok: false, error: { code: 'over_daily_cap', cap: 30, grantedToday: 26 } });
    // An owner is not capped, and does not use up the admins' cap.
    expect(await refund(jobs[2]!, 'owner', null)).toMatchObject({ ok: true, value: { outcome: 'refunded', amount: 8 } });
    expect(await refund(jobs[3]!, 'admin', 30)).toEqual({ ok: true, value: { outcome: 'over_daily_cap', userId, amount: 8, cap: 30, givenToday: 26 } });
    expect((await f.ledger.balance(userId, guildId)).buckets.grant.available).toBe(10 + 8 + 8 + 8);
    await expectLedgerConsistent(f.database);
  });

  it('two admins refunding and gifting at once cannot both squeeze under the cap', async () => {
    const userId = uniqueUser();
    const jobs = await Promise.all(Array.from({ length: 5 }, () => chargedJob(userId, 10)));
    const results = await Promise.all([
      ...jobs.map((jobId, i) => admins().refundJob({ jobId, guildId, actorId: `admin-${i}`, reason: 'race', dailyCap: 25, uncappedActorIds: [] })),
      ...[0, 1].map((i) =>
        admins().grant({
          interactionId: `${userId}-gift-${i}`,
          userId,
          guildId,
          amount: 10,
          expiresAt: null,
          actorId: `admin-g${i}`,
          reason: 'race',
          dailyCap: 25,
          uncappedActorIds: [],
        }),
      ),
    ]);
    const given = results.filter((r) => r.ok && (!('outcome' in r.value) || r.value.outcome !== 'over_daily_cap'));
    const refused = results.filter((r) => (r.ok ? 'outcome' in r.value && r.value.outcome === 'over_daily_cap' : r.error.code === 'over_daily_cap'));
    expect([given.length, refused.length]).toEqual([2, 5]);
    // 25 allows two of the seven 10-credit givings, whichever came first.
    expect((await f.ledger.balance(userId, guildId)).buckets.grant.available).toBe(20);
    await expectLedgerConsistent(f.database);
  });
});

describe('job refunds', () => {
  it('five concurrent refunds of one job grant its charge once', async () => {
    const userId = uniqueUser();
    await f.ledger.grant({ key: `fund:${userId}`, userId, guildId: null, kind: 'topup', amount: 9, expiresAt: null, actorId: 'test', reason: 'fund' });
    const quoteId = await f.jobs.createQuote({
      userId,
      guildId,
      channelId: 'c',
      request: aRequest(),
      breakdown: {},
      price: 9,
      tierName: 'none',
      expiresAt: new Date(Date.now() + 60_000),
    });
    const confirmed = await f.credits.confirmQuote({ quoteId, userId, priority: 10, deadlineAt: new Date(Date.now() + 60_000) });
    if (!confirmed.ok) throw new Error('confirm failed');
    await f.credits.finish(confirmed.value.jobId, { delivered: 1, failureReason: null, memberMessage: null, providerCostUsd: 0.01, predictTimeSeconds: null });
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        admins().refundJob({ jobId: confirmed.value.jobId, guildId, actorId: `admin-${i}`, reason: 'race', dailyCap: null, uncappedActorIds: [] }),
      ),
    );
    const outcomes = results.map((r) => (r.ok ? r.value.outcome : r.error.code)).sort();
    expect(outcomes).toEqual(['already_refunded', 'already_refunded', 'already_refunded', 'already_refunded', 'refunded']);
    expect((await f.ledger.balance(userId, guildId)).buckets.grant.available).toBe(9);
    expect(
      await admins().refundJob({ jobId: confirmed.value.jobId, guildId: 'another-guild', actorId: 'a', reason: 'r', dailyCap: null, uncappedActorIds: [] }),
    ).toEqual({ ok: true, value: { outcome: 'not_found' } });
    await expectLedgerConsistent(f.database);
  });
});

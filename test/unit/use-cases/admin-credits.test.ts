// /admin credits grant|revoke and /admin refund: who may create credits is the operator's call;
// a refused request never reaches the ledger (the strict fakes would throw).
import { describe, expect, it } from 'vitest';
import type { GrantPolicy } from '../../../src/domain/admin/grant-policy.js';
import { ok } from '../../../src/domain/result.js';
import { grantCredits } from '../../../src/use-cases/grant-credits.js';
import type { AdminCredits, AdminGrantInput, JobRefundInput } from '../../../src/use-cases/ports/admin-credits.js';
import type { Ledger, RevokeInput } from '../../../src/use-cases/ports/ledger.js';
import { refundJob } from '../../../src/use-cases/refund-job.js';
import { revokeCredits } from '../../../src/use-cases/revoke-credits.js';
import { fakeBot, strict } from '../../fakes/in-memory-bot-ports.js';
import { testCard } from '../domain/pricing/card-fixture.js';

const card = testCard();
const adminsMayGrant: GrantPolicy = { ownerIds: ['owner'], guildAdminsMayGrant: true, guildAdminDailyCap: 500, guildAdminTiers: 'all', freeDailyMax: null };
const ownersOnly: GrantPolicy = { ...adminsMayGrant, guildAdminsMayGrant: false };
const member = { id: 'u1', bot: false };

function recordingAdminCredits() {
  const grants: AdminGrantInput[] = [];
  const refunds: JobRefundInput[] = [];
  const port = strict<AdminCredits>('adminCredits', {
    grant: async (input) => {
      grants.push(input);
      return ok({ outcome: 'granted', amount: input.amount, expiresAt: input.expiresAt, grantedToday: input.amount });
    },
    refundJob: async (input) => {
      refunds.push(input);
      return ok({ outcome: 'refunded', userId: 'u1', amount: 7, refundedAt: new Date(0) });
    },
  });
  return { grants, refunds, port };
}

const grant = (bot: ReturnType<typeof fakeBot>, overrides: Partial<Parameters<typeof grantCredits>[1]> = {}) =>
  grantCredits(bot.deps, { interactionId: 'i1', guildId: 'g1', actorId: 'admin', member, amount: 10, expiresInDays: null, reason: 'thanks', ...overrides });

describe('grantCredits', () => {
  it('gifts within the server admins’ daily cap, expiring when asked, once per interaction', async () => {
    const credits = recordingAdminCredits();
    const bot = fakeBot(card, { grantPolicy: adminsMayGrant, adminCredits: credits.port });
    expect(await grant(bot, { expiresInDays: 2 })).toMatchObject({ ok: true, value: { outcome: 'granted', amount: 10, dailyCap: 500 } });
    expect(credits.grants).toEqual([
      {
        interactionId: 'i1',
        userId: 'u1',
        guildId: 'g1',
        amount: 10,
        expiresAt: new Date('2026-12-04T12:00:00Z'),
        actorId: 'admin',
        reason: 'thanks',
        dailyCap: 500,
        uncappedActorIds: ['owner'],
      },
    ]);
  });

  it('lets owners gift uncapped where server admins may not', async () => {
    const credits = recordingAdminCredits();
    const bot = fakeBot(card, { grantPolicy: ownersOnly, adminCredits: credits.port });
    expect(await grant(bot)).toEqual({ ok: false, error: { code: 'not_allowed' } });
    expect(await grant(bot, { actorId: 'owner' })).toMatchObject({ ok: true, value: { dailyCap: null } });
    expect(credits.grants).toHaveLength(1);
  });

  it('refuses a bot, an amount out of range and an expiry out of range before the ledger', async () => {
    const bot = fakeBot(card, { grantPolicy: adminsMayGrant });
    expect(await grant(bot, { member: { id: 'b1', bot: true } })).toEqual({ ok: false, error: { code: 'member_is_bot' } });
    for (const amount of [0, 1_000_001, 1.5])
      expect(await grant(bot, { amount })).toEqual({ ok: false, error: { code: 'amount_out_of_range', max: 1_000_000 } });
    for (const expiresInDays of [0, 3651])
      expect(await grant(bot, { expiresInDays })).toEqual({ ok: false, error: { code: 'expiry_out_of_range', max: 3650 } });
  });
});

describe('revokeCredits', () => {
  it('takes back unspent gifts only, once per interaction', async () => {
    const revokes: RevokeInput[] = [];
    const ledger = strict<Ledger>('ledger', { revoke: async (input) => (revokes.push(input), ok({ revoked: input.amount, replayed: false })) });
    const bot = fakeBot(card, { ledger });
    const sut = await revokeCredits(bot.deps, { interactionId: 'i1', guildId: 'g1', actorId: 'admin', member, amount: 5, reason: 'mistake' });
    expect(sut).toEqual({ ok: true, value: { revoked: 5, replayed: false } });
    expect(revokes).toEqual([{ key: 'admin-revoke:i1', userId: 'u1', guildId: 'g1', amount: 5, kinds: ['grant'], actorId: 'admin', reason: 'mistake' }]);
    expect(
      await revokeCredits(bot.deps, { interactionId: 'i2', guildId: 'g1', actorId: 'admin', member: { id: 'b1', bot: true }, amount: 5, reason: 'x' }),
    ).toEqual({ ok: false, error: { code: 'member_is_bot' } });
  });
});

describe('refundJob', () => {
  it('refunds under the gift policy: refused for server admins where they may not grant, uncapped for owners', async () => {
    const credits = recordingAdminCredits();
    const bot = fakeBot(card, { grantPolicy: ownersOnly, adminCredits: credits.port });
    const refund = (actorId: string) => refundJob(bot.deps, { jobId: 'job-1', guildId: 'g1', actorId, reason: 'broken' });
    expect(await refund('admin')).toEqual({ ok: false, error: { code: 'not_allowed' } });
    expect(await refund('owner')).toMatchObject({ ok: true, value: { outcome: 'refunded', amount: 7 } });
    expect(credits.refunds).toEqual([{ jobId: 'job-1', guildId: 'g1', actorId: 'owner', reason: 'broken', dailyCap: null, uncappedActorIds: ['owner'] }]);
  });
});

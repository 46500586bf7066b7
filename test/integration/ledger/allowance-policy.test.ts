// The operator's policy for server admins, enforced by the ledger where allowances are created
// (ledger_grant_allowances), not only by the code that resolves a member's tier: these tests call
// the ledger as a buggy or bypassed use case would, with amounts and tiers the policy forbids.
import { beforeAll, describe, expect, it } from 'vitest';
import type { GrantPolicy } from '../../../src/domain/admin/grant-policy.js';
import type { PriceCard } from '../../../src/domain/pricing/price-card-schema.js';
import { createSqlLedger } from '../../../src/ledger/sql-ledger.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import type { Ledger } from '../../../src/use-cases/ports/ledger.js';
import { createTestLedger, expectLedgerConsistent, mapRoleToTier, uniqueUser, useLedger } from '../../support/ledger-fixture.js';

const OWNER = 'operator-owner';
/** Production's default, plus one owner: server admins may give Starter only, free daily up to the card's 20. */
const strict: GrantPolicy = { ownerIds: [OWNER], guildAdminsMayGrant: false, guildAdminDailyCap: 0, guildAdminTiers: ['starter'], freeDailyMax: null };
const week = {
  periodKey: 'week:2026-W48',
  expiresAt: new Date('2026-11-30T00:00:00Z'),
  periodStart: new Date('2026-11-23T00:00:00Z'),
  periodEnd: new Date('2026-11-30T00:00:00Z'),
};
const today = { periodKey: '2026-11-22', expiresAt: new Date('2026-11-23T00:00:00Z') };

const f = useLedger();
let card: PriceCard;
let ledger: Ledger;
beforeAll(async () => {
  card = await loadPriceCardOrThrow();
  ledger = createTestLedger(f.database, card, strict);
});

async function allowances(guildId: string, input: { free?: number; tier?: [string, number] }) {
  const userId = uniqueUser();
  const granted = await ledger.grantAllowances({
    userId,
    guildId,
    ...(input.free === undefined ? {} : { free: { ...today, amount: input.free } }),
    ...(input.tier === undefined ? {} : { tier: { ...week, tierName: input.tier[0], allowance: input.tier[1] } }),
  });
  if (!granted.ok) throw new Error(JSON.stringify(granted.error));
  return { ...granted.value, userId };
}

describe('allowances under the operator policy, checked in SQL', () => {
  it('lowers free daily credits above the ceiling (a guild set 10,000) to the ceiling', async () => {
    const granted = await allowances('guild-free', { free: 10_000 });
    expect(granted.free?.amount).toBe(card.freeDailyCredits);
    expect(granted.balance.available).toBe(card.freeDailyCredits);
  });

  it('gives no tier allowance for a tier this guild maps no role to', async () => {
    const granted = await allowances('guild-unmapped', { free: 0, tier: ['ultra', 1000] });
    expect(granted.tier).toBeNull();
    expect(granted.balance.available).toBe(0);
  });

  it('gives a tier a server admin mapped only when server admins may give it; an owner may map any', async () => {
    await mapRoleToTier(f.database, 'guild-admin-pro', 'pro', 'a-server-admin');
    expect((await allowances('guild-admin-pro', { tier: ['pro', 450] })).balance.available).toBe(0);

    await mapRoleToTier(f.database, 'guild-admin-starter', 'starter', 'a-server-admin');
    expect((await allowances('guild-admin-starter', { tier: ['starter', 200] })).tier?.amount).toBe(200);

    await mapRoleToTier(f.database, 'guild-owner-pro', 'pro', OWNER);
    expect((await allowances('guild-owner-pro', { tier: ['pro', 450] })).tier?.amount).toBe(450);
  });

  it('never gives more than the card says a tier is worth, nor a tier the card lacks', async () => {
    await mapRoleToTier(f.database, 'guild-inflated', 'starter', OWNER);
    await mapRoleToTier(f.database, 'guild-inflated', 'platinum', OWNER);
    expect((await allowances('guild-inflated', { tier: ['starter', 1_000_000] })).tier?.amount).toBe(200);
    expect((await allowances('guild-inflated', { tier: ['platinum', 5000] })).balance.available).toBe(0);
    await expectLedgerConsistent(f.database);
  });

  it('a ledger built without a policy refuses to grant allowances, and SQL refuses an incomplete policy', async () => {
    const unwired = createSqlLedger(f.database.db.pool);
    await expect(unwired.grantAllowances({ userId: uniqueUser(), guildId: 'g', free: { ...today, amount: 5 } })).rejects.toThrow(/allowancePolicy/);
    const call = (policy: unknown) =>
      f.database.sql.query(
        `SELECT * FROM ledger_grant_allowances('u', 'g', 'k', 50, now() + interval '1 day', 'r', NULL, NULL, NULL, NULL, NULL, NULL, $1::jsonb)`,
        [policy === null ? null : JSON.stringify(policy)],
      );
    await expect(call(null)).rejects.toThrow(/incomplete server admin policy/);
    await expect(call({ owner_ids: [], admin_tiers: null, default_tier: 'none', tier_allowances: {} })).rejects.toThrow(/incomplete server admin policy/);
    const { rows } = await f.database.sql.query(`SELECT count(*)::int AS n FROM credit_lot WHERE user_id = 'u'`);
    expect(rows[0].n).toBe(0);
  });
});

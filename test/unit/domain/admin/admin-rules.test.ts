import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../../../src/domain/admin/closest-name.js';
import { freeDailyCeiling, grantPermission, mayGiveTier, type GrantPolicy } from '../../../../src/domain/admin/grant-policy.js';
import { summariseUsage } from '../../../../src/domain/admin/usage-summary.js';

describe('closest tier name', () => {
  it('suggests a near typo or a prefix, and nothing for a far-off word', () => {
    expect(editDistance('prp', 'pro')).toBe(1);
    expect(closestName('prp', ['starter', 'pro', 'ultra'])).toBe('pro');
    expect(closestName('star', ['starter', 'pro', 'ultra'])).toBe('starter');
    expect(closestName('ULTRA', ['starter', 'pro', 'ultra'])).toBe('ultra');
    expect(closestName('platinum', ['starter', 'pro', 'ultra'])).toBeUndefined();
  });
});

describe('who may create value', () => {
  const policy: GrantPolicy = { ownerIds: ['owner'], guildAdminsMayGrant: false, guildAdminDailyCap: 100, guildAdminTiers: [], freeDailyMax: null };
  it('gifts and refunds: owners always, uncapped; guild admins only when enabled, capped', () => {
    expect(grantPermission(policy, 'owner')).toEqual({ allowed: true, dailyCap: null });
    expect(grantPermission(policy, 'admin')).toEqual({ allowed: false });
    expect(grantPermission({ ...policy, guildAdminsMayGrant: true }, 'admin')).toEqual({ allowed: true, dailyCap: 100 });
  });

  it('tiers: any tier without an allowance; one with an allowance from an owner, or from an admin where the operator allows that tier', () => {
    const pro = { name: 'pro', allowance: 450 };
    const cosmetic = { name: 'supporter', allowance: 0 };
    expect(mayGiveTier(policy, 'admin', cosmetic)).toBe(true);
    expect(mayGiveTier(policy, 'admin', pro)).toBe(false);
    expect(mayGiveTier(policy, 'owner', pro)).toBe(true);
    expect(mayGiveTier({ ...policy, guildAdminTiers: ['starter'] }, 'admin', pro)).toBe(false);
    expect(mayGiveTier({ ...policy, guildAdminTiers: ['starter', 'pro'] }, 'admin', pro)).toBe(true);
    expect(mayGiveTier({ ...policy, guildAdminTiers: 'all' }, 'admin', pro)).toBe(true);
  });

  it('free daily credits: at most the card’s amount unless the operator sets another ceiling', () => {
    expect(freeDailyCeiling(policy, { freeDailyCredits: 20 })).toBe(20);
    expect(freeDailyCeiling({ ...policy, freeDailyMax: 50 }, { freeDailyCredits: 20 })).toBe(50);
    expect(freeDailyCeiling({ ...policy, freeDailyMax: 0 }, { freeDailyCredits: 20 })).toBe(0);
  });
});

describe('usage summary', () => {
  it('values credits at the card’s rate against provider cost', () => {
    const summary = summariseUsage(
      [
        { model: 'a', jobs: 2, images: 2, creditsCharged: 30, providerCostUsd: 0.05 },
        { model: 'b', jobs: 1, images: 4, creditsCharged: 20, providerCostUsd: 0.25 },
      ],
      100,
    );
    expect(summary).toMatchObject({ creditsCharged: 50, chargedUsd: 0.5, providerCostUsd: 0.3, marginUsd: 0.2, marginShare: 0.4 });
    expect(summary.models[1]).toMatchObject({ chargedUsd: 0.2, marginUsd: -0.05 });
    expect(summariseUsage([], 100).marginShare).toBeNull();
  });

  it('takes what admins gave back off the charge before the margin', () => {
    const summary = summariseUsage([{ model: 'a', jobs: 3, images: 3, creditsCharged: 50, providerCostUsd: 0.1 }], 100, 20);
    expect(summary).toMatchObject({ creditsCharged: 50, creditsRefundedByAdmins: 20, netCredits: 30, netUsd: 0.3, marginUsd: 0.2 });
    expect(summary.marginShare).toBeCloseTo(2 / 3);
  });
});

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../../../src/domain/pricing/parse-price-card.js';
import type { PriceCard } from '../../../../src/domain/pricing/price-card-schema.js';
import { decideTier, type MemberSubscription } from '../../../../src/domain/subscriptions/tier-sources.js';
import { planUpdate } from '../../../../src/domain/subscriptions/plan-change.js';
import { findPlan, paidPeriodExpiry, planCredits, planForSku, soldPlans } from '../../../../src/domain/subscriptions/plans.js';
import { findTier, noTier } from '../../../../src/domain/tiers.js';
import { DEFAULT_PRICE_CARD_PATH, loadPriceCardOrThrow, parsePriceCardYaml } from '../../../../src/pricing/load-price-card.js';

const card: PriceCard = await loadPriceCardOrThrow();
const defaultYaml = await readFile(DEFAULT_PRICE_CARD_PATH, 'utf8');
const problems = (yaml: string): string[] => {
  const result = parsePriceCardYaml(yaml, 'card.yaml');
  return result.ok ? [] : result.error.problems.map((problem) => formatProblem(problem).replace(/ \(line \d+\)$/, ''));
};
const tier = (name: string) => findTier(card, name)!;

describe('plans on the default card (the reference table)', () => {
  it('sells every paid tier weekly and yearly, a year being 52 weeks of credits up front', () => {
    expect(soldPlans(card).map((sold) => [sold.id, sold.credits, sold.plan.priceUsd])).toEqual([
      ['starter-week', 200, 1.99],
      ['starter-year', 10_400, 89.99],
      ['pro-week', 450, 3.99],
      ['pro-year', 23_400, 179.99],
      ['ultra-week', 1000, 7.99],
      ['ultra-year', 52_000, 349.99],
      ['max-week', 2000, 14.99],
      ['max-year', 104_000, 649.99],
    ]);
    expect(card.welcomeCredits).toBe(50);
  });

  it('never sells a yearly plan dearer than its weeks, nor any plan below the pack rate it competes with', () => {
    for (const name of ['starter', 'pro', 'ultra', 'max']) {
      const weekly = findPlan(card, `${name}-week`)!;
      const yearly = findPlan(card, `${name}-year`)!;
      expect(yearly.plan.priceUsd).toBeLessThan(weekly.plan.priceUsd * 52);
    }
  });

  it('finds a plan by its Discord SKU, and expires a paid period at the renewal plus rollover periods of its own length', () => {
    const yaml = defaultYaml.replace('{ interval: week, priceUsd: 3.99 }', '{ interval: week, priceUsd: 3.99, discordSkuId: "1300000000000000001" }');
    const parsed = parsePriceCardYaml(yaml, 'card.yaml');
    expect(parsed.ok && planForSku(parsed.value, '1300000000000000001')?.id).toBe('pro-week');
    const start = new Date('2026-12-03T17:00:00Z');
    const end = new Date('2026-12-10T17:00:00Z');
    expect(paidPeriodExpiry(start, end, 0)).toEqual(end);
    expect(paidPeriodExpiry(start, end, 2)).toEqual(new Date('2026-12-24T17:00:00Z'));
  });

  it('a monthly tier sells monthly and yearly plans (12 months of credits)', () => {
    const monthly = { ...tier('pro'), period: 'monthly' as const };
    expect(planCredits(monthly, { interval: 'month' })).toBe(450);
    expect(planCredits(monthly, { interval: 'year' })).toBe(5400);
  });
});

describe('plan mistakes on a card, named by field', () => {
  it('refuses a plan for the free tier, two plans of one interval, a month of a weekly tier, one SKU for two things', () => {
    const yaml = defaultYaml
      .replace(
        '    queuePriority: standard\n\n  - name: starter',
        '    queuePriority: standard\n    plans: [{ interval: week, priceUsd: 1 }]\n\n  - name: starter',
      )
      .replace('{ interval: year, priceUsd: 89.99 }', '{ interval: week, priceUsd: 2.99 }')
      .replace('{ interval: year, priceUsd: 179.99 }', '{ interval: month, priceUsd: 14.99 }')
      .replace('{ interval: week, priceUsd: 7.99 }', '{ interval: week, priceUsd: 7.99, discordSkuId: "1300000000000000009" }')
      .replace('{ id: credits-500, credits: 500, priceUsd: 5 }', '{ id: credits-500, credits: 500, priceUsd: 5, discordSkuId: "1300000000000000009" }');
    expect(problems(yaml)).toEqual([
      'tiers.none.plans: the "none" tier is everyone\'s: it cannot be sold',
      'tiers.starter.plans: more than one weekly plan: one plan per interval',
      'tiers.pro.plans[1].interval: a monthly plan cannot sell a weekly allowance (it does not divide evenly); use week or year',
      'tiers.ultra.plans[0].discordSkuId: is already the SKU of pack "credits-500": one SKU sells one thing',
    ]);
  });

  it('refuses an unknown interval and a price in fractions of a cent', () => {
    const yaml = defaultYaml.replace('{ interval: week, priceUsd: 3.99 }', '{ interval: fortnight, priceUsd: 3.999 }');
    expect(problems(yaml)).toEqual([
      'tiers.pro.plans[0].interval: must be one of week, month, year; got "fortnight"',
      'tiers.pro.plans[0].priceUsd: must be in whole cents (at most 2 decimal places)',
    ]);
  });
});

describe("a member's tier: the best of roles and plans", () => {
  const subscription = (tierName: string, overrides: Partial<MemberSubscription> = {}): MemberSubscription => ({
    id: `discord:${tierName}`,
    source: 'discord',
    scope: 'user',
    tierName,
    renewalTierName: null,
    interval: 'week',
    periodEnd: new Date('2026-12-10T00:00:00Z'),
    status: 'active',
    ...overrides,
  });

  it('is the default with nothing, the role without plans, and the plan when it is at least as good', () => {
    expect(decideTier(card, noTier(card), [])).toEqual({ tier: noTier(card), source: { kind: 'default' } });
    expect(decideTier(card, tier('pro'), [])).toEqual({ tier: tier('pro'), source: { kind: 'role' } });
    expect(decideTier(card, tier('pro'), [subscription('pro')]).source.kind).toBe('subscription');
    expect(decideTier(card, tier('ultra'), [subscription('pro')])).toEqual({ tier: tier('ultra'), source: { kind: 'role' } });
  });

  it('takes the best plan, then the one lasting longer; a plan for a tier the card lost gives nothing', () => {
    const later = subscription('ultra', { id: 'stripe:later', source: 'stripe', periodEnd: new Date('2027-01-01T00:00:00Z') });
    const decided = decideTier(card, tier('starter'), [subscription('pro'), subscription('ultra'), later, subscription('legendary')]);
    expect(decided.tier.name).toBe('ultra');
    expect(decided.source).toEqual({ kind: 'subscription', subscription: later });
    expect(decideTier(card, noTier(card), [subscription('legendary')]).source).toEqual({ kind: 'default' });
  });
});

describe('a plan described anew (planUpdate)', () => {
  const week = (name: string) => ({ tier: tier(name), plan: tier(name).plans[0]! });
  const start = new Date('2026-12-03T17:00:00Z');
  const next = new Date('2026-12-10T17:00:00Z');

  it('pays a new purchase and each renewal at the tier now charged', () => {
    expect(planUpdate(card, null, { ...week('pro'), renewal: null, periodStart: start })).toEqual({
      tierName: 'pro',
      renewalTierName: null,
      paid: { tier: tier('pro'), credits: 450 },
    });
    expect(planUpdate(card, { tierName: 'pro', periodStart: start }, { ...week('ultra'), renewal: null, periodStart: next }).paid?.credits).toBe(1000);
  });

  it('applies an upgrade at once and lets a downgrade wait for the renewal', () => {
    const known = { tierName: 'pro', periodStart: start };
    expect(planUpdate(card, known, { ...week('ultra'), renewal: null, periodStart: start })).toEqual({
      tierName: 'ultra',
      renewalTierName: null,
      paid: { tier: tier('ultra'), credits: 1000 },
    });
    expect(planUpdate(card, known, { ...week('starter'), renewal: null, periodStart: start })).toEqual({
      tierName: 'pro',
      renewalTierName: 'starter',
      paid: null,
    });
    expect(planUpdate(card, known, { ...week('pro'), renewal: week('starter'), periodStart: start }).renewalTierName).toBe('starter');
  });

  it('ignores a description of an earlier period (events out of order)', () => {
    expect(planUpdate(card, { tierName: 'pro', periodStart: next }, { ...week('ultra'), renewal: null, periodStart: start })).toEqual({
      tierName: 'pro',
      renewalTierName: null,
      paid: null,
    });
  });
});

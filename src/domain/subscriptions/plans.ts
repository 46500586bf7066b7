import type { PlanInterval, TierPeriod } from '../pricing/card-terms.js';
import type { Plan, PriceCard, Tier } from '../pricing/price-card-schema.js';

/**
 * How many of a tier's allowance periods one plan interval holds, when it holds a whole number:
 * a yearly plan of a weekly tier is 52 weeks' allowance (the reference table's 200 / week,
 * 10,400 / year), of a monthly tier 12 months'. Undefined where periods do not divide the
 * interval (a month of weekly credits), which the card refuses.
 */
const periodsPerInterval: Readonly<Record<PlanInterval, Partial<Record<TierPeriod, number>>>> = {
  week: { weekly: 1, daily: 7 },
  month: { monthly: 1 },
  year: { weekly: 52, monthly: 12 },
};

export const allowancePeriodsIn = (interval: PlanInterval, period: TierPeriod): number | undefined => periodsPerInterval[interval][period];

/** Credits one paid period of the plan grants: the tier's allowance for the whole interval. */
export function planCredits(tier: Tier, plan: Pick<Plan, 'interval'>): number {
  const periods = allowancePeriodsIn(plan.interval, tier.period);
  if (periods === undefined) throw new RangeError(`A ${plan.interval}ly plan cannot sell a ${tier.period} tier (the card refuses it)`);
  return tier.allowance * periods;
}

/** A plan's stable name in buttons, checkout metadata and logs: `pro-week`. */
export const planId = (tier: Pick<Tier, 'name'>, plan: Pick<Plan, 'interval'>): string => `${tier.name}-${plan.interval}`;

export interface SoldPlan {
  readonly id: string;
  readonly tier: Tier;
  readonly plan: Plan;
  readonly credits: number;
}

/** Every plan on the card, lowest tier first, shortest interval first within a tier. */
export function soldPlans(card: PriceCard): SoldPlan[] {
  return card.tiers.flatMap((tier) => tier.plans.map((plan) => ({ id: planId(tier, plan), tier, plan, credits: planCredits(tier, plan) })));
}

export const findPlan = (card: PriceCard, id: string): SoldPlan | undefined => soldPlans(card).find((sold) => sold.id === id);

export const planForSku = (card: PriceCard, skuId: string): SoldPlan | undefined => soldPlans(card).find((sold) => sold.plan.discordSkuId === skuId);

/**
 * When a paid period's credits expire: at the period's end (the next renewal), or with the
 * tier's rollover that many periods of the same length later. The period is the seller's
 * (it starts on the purchase date), not a calendar week.
 */
export function paidPeriodExpiry(start: Date, end: Date, rolloverPeriods: number): Date {
  const length = end.getTime() - start.getTime();
  if (!(length > 0)) throw new RangeError('A paid period ends after it starts');
  return new Date(end.getTime() + length * rolloverPeriods);
}

import type { Plan, PriceCard, Tier } from '../pricing/price-card-schema.js';
import { compareTiers } from '../tiers.js';
import { planCredits } from './plans.js';

/** A subscription as its seller describes it now: the plan paid for, and the plan from the next renewal. */
export interface DescribedPlan {
  readonly tier: Tier;
  readonly plan: Plan;
  /** The plan the next renewal will charge for, when it differs (a downgrade waits for it). */
  readonly renewal: { readonly tier: Tier; readonly plan: Plan } | null;
  readonly periodStart: Date;
}

/** What is stored of it: the tier of the period, and which period. */
export interface KnownPlan {
  readonly tierName: string;
  readonly periodStart: Date;
}

export interface PlanUpdate {
  /** The tier of the current period, and the one from the next renewal (null: the same). */
  readonly tierName: string;
  readonly renewalTierName: string | null;
  /**
   * The period's paid credits to record (once per period and tier: a replay records nothing new),
   * or null for a description older than what is stored.
   */
  readonly paid: { readonly tier: Tier; readonly credits: number } | null;
}

/**
 * How a subscription's new description changes what a member has:
 * - a new period (a purchase or a renewal) is paid for at the tier now charged;
 * - within a period, a better tier is an upgrade: it applies at once and its period is paid for
 *   at the new tier (the ledger grants the difference over what the period already gave);
 * - within a period, a lower tier is a downgrade: it waits for the renewal, the period keeps the
 *   tier that was paid for;
 * - a description of an earlier period than the stored one (events come out of order) changes nothing.
 */
export function planUpdate(card: PriceCard, known: KnownPlan | null, described: DescribedPlan): PlanUpdate {
  const renewalOf = (tier: Tier): string | null => {
    const next = described.renewal?.tier ?? tier;
    return next.name === tier.name ? null : next.name;
  };
  if (known && described.periodStart.getTime() < known.periodStart.getTime()) {
    return { tierName: known.tierName, renewalTierName: null, paid: null };
  }
  const samePeriod = known !== null && described.periodStart.getTime() === known.periodStart.getTime();
  if (samePeriod && compareTiers(card, described.tier.name, known.tierName) < 0) {
    const kept = card.tiers.find((tier) => tier.name === known.tierName);
    // The paid-for tier is gone from the card: nothing to keep, so the described tier applies.
    if (kept) return { tierName: kept.name, renewalTierName: described.tier.name, paid: null };
  }
  return {
    tierName: described.tier.name,
    renewalTierName: renewalOf(described.tier),
    paid: { tier: described.tier, credits: planCredits(described.tier, described.plan) },
  };
}

import { formatUsd } from '../../domain/pricing/format-breakdown.js';
import type { Plan, Tier } from '../../domain/pricing/price-card-schema.js';
import { planCredits } from '../../domain/subscriptions/plans.js';

/** A tier period as the unit of its allowance: "450 credits / week". */
export const periodUnit = { daily: 'day', weekly: 'week', monthly: 'month' } as const;

/**
 * A plan's price as members read it: "$3.99 / week", and for a plan longer than the tier's period,
 * what it grants at once: "$179.99 / year (23,400 credits up front)". Discord's store sets its own
 * price for a SKU: where the card states a different one, both are shown.
 */
export function planPrice(tier: Tier, plan: Plan): string {
  const price = formatUsd(plan.priceUsd);
  const inDiscord = plan.discordPrice !== undefined && plan.discordPrice !== price ? ` (${plan.discordPrice} in Discord's store)` : '';
  const credits = planCredits(tier, plan);
  return `${price} / ${plan.interval}${inDiscord}${credits > tier.allowance ? `, ${credits.toLocaleString('en-US')} credits up front` : ''}`;
}

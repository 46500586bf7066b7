// When a member who is short of credits gets more without paying: the next free daily credits and
// the next tier allowance, and which tier would give more. Said in the out-of-credits reply, so a
// member can wait instead of buying.
import type { PriceCard, Tier } from '../pricing/price-card-schema.js';
import { dailyResetWindow, tierPeriodWindow } from '../tier-periods.js';
import { lowestTierAbove } from '../tiers.js';

export interface Refills {
  /** The next free daily credits (the server's amount); null when the server gives none. */
  readonly free: { readonly amount: number; readonly at: Date } | null;
  /** The member's tier's next allowance; null when their tier carries none. */
  readonly tier: { readonly label: string; readonly amount: number; readonly at: Date } | null;
  /** The lowest tier above theirs with a larger allowance, if the card has one. */
  readonly better: { readonly label: string; readonly allowance: number; readonly period: Tier['period'] } | null;
}

export function nextRefills(card: PriceCard, tier: Tier, freeDailyCredits: number, now: Date): Refills {
  const better = lowestTierAbove(card, tier, (candidate) => candidate.allowance > tier.allowance);
  return {
    free: freeDailyCredits > 0 ? { amount: freeDailyCredits, at: dailyResetWindow(now).end } : null,
    tier: tier.allowance > 0 ? { label: tier.label, amount: tier.allowance, at: tierPeriodWindow(tier.period, now).end } : null,
    better: better ? { label: better.label, allowance: better.allowance, period: better.period } : null,
  };
}

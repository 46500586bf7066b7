import type { PlanInterval } from '../pricing/card-terms.js';
import type { PriceCard, Tier } from '../pricing/price-card-schema.js';
import { compareTiers, findTier, resolveMemberTier } from '../tiers.js';

/** A live subscription of a member, or of their server, as the ledger reports it. */
export interface MemberSubscription {
  readonly id: string;
  readonly source: 'discord' | 'stripe';
  /** `user`: the member's own (every server); `guild`: their server's (every member of it). */
  readonly scope: 'user' | 'guild';
  readonly tierName: string;
  /** The tier from the next renewal when it differs (a downgrade waits for the period's end). */
  readonly renewalTierName: string | null;
  readonly interval: PlanInterval;
  /** When the paid period ends: the next renewal, or the end of the tier for a cancelled plan. */
  readonly periodEnd: Date;
  /** `ending`: cancelled, the tier lasts until periodEnd. */
  readonly status: 'active' | 'ending';
}

/** Where a member's tier comes from: the best of their sources applies. */
export type TierSource =
  { readonly kind: 'default' } | { readonly kind: 'role' } | { readonly kind: 'subscription'; readonly subscription: MemberSubscription };

export interface DecidedTier {
  readonly tier: Tier;
  readonly source: TierSource;
}

/**
 * A member's tier: the best of what their roles give (already resolved, the card's first tier
 * when none) and what their live subscriptions give. A subscription wins a tie with a role: it
 * is paid for, and it is what /balance can say renews. A subscription to a tier the card no
 * longer has gives nothing.
 */
export function decideTier(card: PriceCard, roleTier: Tier, subscriptions: readonly MemberSubscription[]): DecidedTier {
  const base = roleTier === card.tiers[0] ? { kind: 'default' as const } : { kind: 'role' as const };
  let best: DecidedTier = { tier: roleTier, source: base };
  for (const subscription of subscriptions) {
    const tier = findTier(card, subscription.tierName);
    if (tier && compareTiers(card, tier.name, best.tier.name) >= 0 && (best.source.kind !== 'subscription' || betterSubscription(card, subscription, best))) {
      best = { tier, source: { kind: 'subscription', subscription } };
    }
  }
  return best;
}

/** Among subscriptions to tiers at least as good: the better tier, then the one that lasts longer. */
function betterSubscription(card: PriceCard, candidate: MemberSubscription, best: DecidedTier): boolean {
  const byTier = compareTiers(card, candidate.tierName, best.tier.name);
  if (byTier !== 0) return byTier > 0;
  return best.source.kind === 'subscription' && candidate.periodEnd.getTime() > best.source.subscription.periodEnd.getTime();
}

/** A member's tier from everything that can give one: their roles (by the guild's mapping) and their live plans. */
export const decideMemberTier = (
  card: PriceCard,
  member: { readonly roleIds: Iterable<string>; readonly roleTiers: ReadonlyMap<string, string>; readonly subscriptions: readonly MemberSubscription[] },
): DecidedTier => decideTier(card, resolveMemberTier(card, member.roleIds, member.roleTiers), member.subscriptions);

import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { planUpdate } from '../domain/subscriptions/plan-change.js';
import { paidPeriodExpiry, planForSku, type SoldPlan } from '../domain/subscriptions/plans.js';
import type { TierSubscriptions } from './ports/tier-subscriptions.js';

/** A Discord app subscription as the gateway or REST describes it, with its entitlement's state. */
export interface DiscordSubscriptionFacts {
  readonly subscriptionId: string;
  /** The buyer. */
  readonly userId: string;
  /** A guild subscription's server (from its entitlement); null for a user subscription. */
  readonly guildId: string | null;
  readonly skuIds: readonly string[];
  /** What the next renewal charges for, when it differs (Discord's renewal_sku_ids). */
  readonly renewalSkuIds: readonly string[] | null;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  /** Discord's status: ACTIVE, ENDING (cancelled, lasts to periodEnd), INACTIVE (over). */
  readonly status: 'active' | 'ending' | 'inactive';
  /** Its entitlement was deleted: Discord refunded or withdrew it. */
  readonly refunded: boolean;
}

export type SyncedSubscription =
  | { readonly kind: 'not_a_plan'; readonly skuIds: readonly string[] }
  | {
      readonly kind: 'recorded';
      readonly tierName: string;
      readonly scope: 'user' | 'guild';
      /** Credits granted to the buyer now (a guild plan's members get theirs when they next use the bot). */
      readonly granted: number;
      /** false: nothing new (a replayed or older event). */
      readonly newPeriod: boolean;
      readonly periodEnd: Date;
      readonly status: 'active' | 'ending';
    }
  | { readonly kind: 'ended'; readonly refunded: boolean; readonly taken: number; readonly shortfall: number; readonly replayed: boolean }
  /** Over before the bot ever recorded it: nothing was granted, nothing to take back. */
  | { readonly kind: 'unknown_ended' };

export interface SyncDiscordSubscriptionDeps {
  readonly tierSubscriptions: TierSubscriptions;
  readonly card: PriceCard;
  readonly now: () => Date;
}

const discordPlan = (card: PriceCard, skuIds: readonly string[] | null): SoldPlan | undefined =>
  (skuIds ?? []).map((skuId) => planForSku(card, skuId)).find((plan) => plan !== undefined);

/**
 * Brings what a member has in line with a Discord subscription, whatever the event (create,
 * renewal, plan change, cancellation, end, refund) and however often it arrives: a new paid
 * period is recorded and granted once; a refund ends the tier now and takes back what that
 * period left unspent; a plan that ran out ends at its period's end and takes nothing back.
 */
export async function syncDiscordSubscription(deps: SyncDiscordSubscriptionDeps, facts: DiscordSubscriptionFacts): Promise<SyncedSubscription> {
  const { tierSubscriptions, card } = deps;
  const now = deps.now();
  const sold = discordPlan(card, facts.skuIds);
  if (!sold) return { kind: 'not_a_plan', skuIds: facts.skuIds };
  const known = await tierSubscriptions.find('discord', facts.subscriptionId);

  if (facts.refunded || facts.status === 'inactive') {
    if (!known) return { kind: 'unknown_ended' };
    const ended = await tierSubscriptions.end({
      subscriptionId: known.id,
      // A refund ends the tier now; a plan that ran out, when its paid period did.
      endsAt: facts.refunded ? now : new Date(Math.min(facts.periodEnd.getTime(), now.getTime())),
      reason: facts.refunded ? 'Discord refunded the subscription' : 'the subscription ended',
      takeBackFraction: facts.refunded ? 1 : 0,
      key: `discord-${facts.refunded ? 'refund' : 'end'}:${facts.subscriptionId}`,
    });
    return { kind: 'ended', refunded: facts.refunded, taken: ended.taken, shortfall: ended.shortfall, replayed: ended.outcome !== 'ended' };
  }

  const renewal = discordPlan(card, facts.renewalSkuIds);
  const update = planUpdate(card, known && !known.ended ? { tierName: known.tierName, periodStart: known.periodStart } : null, {
    tier: sold.tier,
    plan: sold.plan,
    renewal: renewal ? { tier: renewal.tier, plan: renewal.plan } : null,
    periodStart: facts.periodStart,
  });
  const status = facts.status;
  const { stored } = await tierSubscriptions.record({
    source: 'discord',
    externalId: facts.subscriptionId,
    userId: facts.userId,
    guildId: facts.guildId,
    tierName: update.tierName,
    renewalTierName: update.renewalTierName,
    interval: sold.plan.interval,
    periodStart: facts.periodStart,
    periodEnd: facts.periodEnd,
    status,
  });
  const scope = stored.guildId === null ? 'user' : 'guild';
  if (stored.ended || update.paid === null || facts.periodEnd.getTime() <= now.getTime()) {
    return { kind: 'recorded', tierName: stored.tierName, scope, granted: 0, newPeriod: false, periodEnd: stored.periodEnd, status: stored.status };
  }
  const paid = await tierSubscriptions.recordPaidPeriod(stored.id, {
    // One paid period per subscription, period and tier: replays and reconciling record it once.
    reference: `discord:${facts.subscriptionId}:${facts.periodStart.toISOString()}:${update.paid.tier.name}`,
    tierName: update.paid.tier.name,
    credits: update.paid.credits,
    periodStart: facts.periodStart,
    periodEnd: facts.periodEnd,
    expiresAt: paidPeriodExpiry(facts.periodStart, facts.periodEnd, update.paid.tier.rolloverPeriods),
  });
  return {
    kind: 'recorded',
    tierName: stored.tierName,
    scope,
    granted: paid.granted,
    newPeriod: paid.created,
    periodEnd: stored.periodEnd,
    status: stored.status,
  };
}

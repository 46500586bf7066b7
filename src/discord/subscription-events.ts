// Discord app subscriptions → what the sync use case needs to know. Discord describes one
// subscription in two objects: the Subscription (its SKUs, current period, status) and its
// entitlement (the server of a guild subscription; `deleted` once refunded). Events bring one or
// the other, in no promised order, so each side fetches the other before anything is decided.
import { SnowflakeUtil, type Client, type Entitlement, type Subscription } from 'discord.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { planForSku, soldPlans } from '../domain/subscriptions/plans.js';
import type { Logger } from '../shared/logger.js';
import type { BotUseCases } from '../use-cases/bot-use-cases.js';
import type { DiscordSubscriptionFacts } from '../use-cases/sync-discord-subscription.js';

/**
 * Discord's subscription statuses (docs: Subscription resource). The SubscriptionStatus enum of
 * the discord-api-types version installed here has ENDING and INACTIVE the wrong way round
 * (Inactive = 1, Ending = 2), so the documented numbers are used.
 */
const DISCORD_SUBSCRIPTION_STATUS: Readonly<Record<number, DiscordSubscriptionFacts['status']>> = { 0: 'active', 1: 'ending', 2: 'inactive' };

/** The facts of a subscription, with its entitlement fetched for its server and whether it was refunded. */
export async function factsOfSubscription(client: Client<true>, subscription: Subscription): Promise<DiscordSubscriptionFacts> {
  const [entitlementId] = subscription.entitlementIds;
  const entitlement = entitlementId ? await client.application.entitlements.fetch({ entitlement: entitlementId, force: true, cache: false }) : null;
  return facts(subscription, entitlement);
}

/**
 * The facts of the subscription an entitlement belongs to, or null when Discord lists none for it
 * (the entitlement is not a subscription's, or names no buyer to look it up by).
 */
export async function factsOfEntitlement(client: Client<true>, entitlement: Entitlement): Promise<DiscordSubscriptionFacts | null> {
  if (!entitlement.userId) return null;
  const subscriptions = await client.application.subscriptions.fetch({ sku: entitlement.skuId, user: entitlement.userId });
  const subscription = subscriptions.find((candidate) => candidate.entitlementIds.includes(entitlement.id));
  return subscription ? facts(subscription, entitlement) : null;
}

function facts(subscription: Subscription, entitlement: Entitlement | null): DiscordSubscriptionFacts {
  return {
    subscriptionId: subscription.id,
    userId: subscription.userId,
    guildId: entitlement?.guildId ?? null,
    skuIds: subscription.skuIds,
    renewalSkuIds: subscription.renewalSkuIds,
    periodStart: new Date(subscription.currentPeriodStartTimestamp),
    periodEnd: new Date(subscription.currentPeriodEndTimestamp),
    status: DISCORD_SUBSCRIPTION_STATUS[subscription.status] ?? 'inactive',
    refunded: entitlement?.deleted === true,
  };
}

/** What plan events run with: the use cases, the card (which SKUs are plans) and a logger. */
export interface PlanEventContext {
  readonly useCases: Pick<BotUseCases, 'syncDiscordSubscription'>;
  readonly card: PriceCard;
  readonly log: Logger;
}

const isPlanSku = (card: PriceCard, skuId: string): boolean => planForSku(card, skuId) !== undefined;
const planSkuIds = (card: PriceCard): string[] => soldPlans(card).flatMap((sold) => (sold.plan.discordSkuId ? [sold.plan.discordSkuId] : []));

async function sync(facts: DiscordSubscriptionFacts, ctx: PlanEventContext, trigger: string): Promise<void> {
  const synced = await ctx.useCases.syncDiscordSubscription(facts);
  const context = {
    trigger,
    subscriptionId: facts.subscriptionId,
    userId: facts.userId,
    guildId: facts.guildId,
    status: facts.status,
    refunded: facts.refunded,
  };
  // A refund that could not take everything back (spent, or held by running jobs) is worth a look.
  const short = synced.kind === 'ended' && synced.refunded && !synced.replayed && synced.shortfall > 0;
  ctx.log[short ? 'warn' : 'info']({ ...context, ...synced }, 'plan subscription synced');
}

/** A plan event's work, never left unhandled: a failure is logged, and the next start reconciles it. */
const guarded = (ctx: PlanEventContext, what: string, work: () => Promise<void>): void => {
  void work().catch((error: unknown) => ctx.log.error({ err: error, what }, 'handling a plan subscription event FAILED; the next start reconciles it'));
};

/**
 * Keeps members' plans in step with Discord's subscription events. Returns whether an entitlement
 * event was a plan's (the caller handles pack purchases).
 */
export function onPlanEntitlement(client: Client<true>, entitlement: Entitlement, ctx: PlanEventContext, trigger: string): boolean {
  if (!isPlanSku(ctx.card, entitlement.skuId)) return false;
  guarded(ctx, trigger, async () => {
    const facts = await factsOfEntitlement(client, entitlement);
    if (facts) await sync(facts, ctx, trigger);
    else ctx.log.warn({ trigger, entitlementId: entitlement.id, skuId: entitlement.skuId }, 'no Discord subscription lists this plan entitlement');
  });
  return true;
}

export function onPlanSubscription(client: Client<true>, subscription: Subscription, ctx: PlanEventContext, trigger: string): void {
  if (!subscription.skuIds.some((skuId) => isPlanSku(ctx.card, skuId))) return;
  guarded(ctx, trigger, async () => sync(await factsOfSubscription(client, subscription), ctx, trigger));
}

/** How far back a start looks for plan entitlements: a yearly plan bought up to a year and a bit ago. */
const plansLookBackMs = 400 * 24 * 60 * 60 * 1000;

/**
 * Discord does not send missed gateway events again: at start every plan entitlement of the last
 * 400 days, deleted ones included, is looked up with its subscription and synced — a purchase,
 * renewal, cancellation or refund made while the bot was down. Syncing is idempotent, so finding
 * the same facts at every start changes nothing.
 */
export async function reconcilePlans(client: Client<true>, ctx: PlanEventContext): Promise<number> {
  const skus = planSkuIds(ctx.card);
  if (skus.length === 0) return 0;
  let after = SnowflakeUtil.generate({ timestamp: Date.now() - plansLookBackMs }).toString();
  let seen = 0;
  const pageSize = 100;
  for (;;) {
    const page = await client.application.entitlements.fetch({ skus, excludeDeleted: false, after, limit: pageSize, cache: false });
    for (const entitlement of page.values()) {
      seen++;
      const facts = await factsOfEntitlement(client, entitlement);
      if (facts) await sync(facts, ctx, 'start');
      if (BigInt(entitlement.id) > BigInt(after)) after = entitlement.id;
    }
    if (page.size < pageSize) return seen;
  }
}

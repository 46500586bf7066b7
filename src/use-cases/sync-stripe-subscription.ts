import { findPlan } from '../domain/subscriptions/plans.js';
import { subscriptionChange, type StripeSubscriptionState, type SubscriptionChangeProblem } from '../domain/subscriptions/stripe-plans.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { err, ok, type Result } from '../domain/result.js';
import type { CardPlans } from './card-plans.js';
import type { StoredSubscription, TierSubscriptions } from './ports/tier-subscriptions.js';

export interface SyncDeps {
  readonly card: PriceCard;
  readonly cardPlans: CardPlans;
  readonly tierSubscriptions: TierSubscriptions;
  readonly now: () => Date;
}

export type SyncedSubscription =
  | { readonly outcome: 'recorded' | 'ended'; readonly subscription: StoredSubscription; readonly state: StripeSubscriptionState }
  | { readonly outcome: 'waiting'; readonly reason: string };

export type SyncProblem = SubscriptionChangeProblem | { readonly code: 'subscription_not_found'; readonly subscriptionId: string };

/**
 * Brings the bot's record of a Stripe subscription up to what Stripe says it is now. Any event
 * about it (created, updated, deleted, an invoice) calls this, and it reads the subscription from
 * Stripe rather than the event: events arrive late and out of order, the current state does not.
 * An ended subscription stays ended; ending takes nothing back (a plan that ran out, or whose
 * renewal Stripe gave up on, leaves what it granted until it expires).
 */
export async function syncStripeSubscription(deps: SyncDeps, subscriptionId: string): Promise<Result<SyncedSubscription, SyncProblem>> {
  const state = await deps.cardPlans.billing.subscription(subscriptionId);
  if (state === null) return err({ code: 'subscription_not_found', subscriptionId });
  const stored = await deps.tierSubscriptions.find('stripe', subscriptionId);
  const change = subscriptionChange(
    deps.card,
    state,
    stored && { tierName: stored.tierName, periodStart: stored.periodStart, ended: stored.ended },
    deps.now(),
  );
  if (!change.ok) return change;
  const { value } = change;
  if (value.kind === 'wait') return ok({ outcome: 'waiting', reason: value.reason });
  const userId = value.kind === 'record' ? value.record.userId : value.userId;
  if (state.customerId) await deps.cardPlans.customers.remember(userId, state.customerId);

  if (value.kind === 'record') {
    const { stored: recorded } = await deps.tierSubscriptions.record({ source: 'stripe', externalId: state.id, guildId: null, ...value.record });
    return ok({ outcome: 'recorded', subscription: recorded, state });
  }
  // Ended before the bot ever stored it (its events came after its end): store it first, so its
  // paid invoices have a subscription to belong to, then end it.
  let row = stored;
  if (row === null) {
    const plan = findPlan(deps.card, state.metadata['planId'] ?? '');
    if (!plan) return err({ code: 'unknown_plan', planId: state.metadata['planId'] ?? '' });
    ({ stored: row } = await deps.tierSubscriptions.record({
      source: 'stripe',
      externalId: state.id,
      guildId: null,
      userId,
      tierName: plan.tier.name,
      renewalTierName: null,
      interval: plan.plan.interval,
      periodStart: state.periodStart,
      periodEnd: state.periodEnd,
      status: 'ending',
    }));
  }
  await deps.tierSubscriptions.end({
    subscriptionId: row.id,
    endsAt: value.endsAt,
    reason: value.reason,
    takeBackFraction: 0,
    key: `stripe-ended:${state.id}`,
  });
  const ended = (await deps.tierSubscriptions.find('stripe', state.id)) ?? row;
  return ok({ outcome: 'ended', subscription: ended, state });
}

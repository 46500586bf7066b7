// The subscription events of POST /stripe/webhook (card plans, issue 15), after the route has
// checked the signature. Stripe retries anything but a 2xx for days and sends events out of order,
// so every handler reads the subscription's current state from Stripe and writes only keyed,
// conditional rows: a replay, a retry or a late event changes nothing. A 500 means "our side
// failed, send it again"; an event we can never act on answers 200 and is logged.
import type Stripe from 'stripe';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import type { Logger } from '../shared/logger.js';
import { errorMessage } from '../shared/error-message.js';
import type { CardPlanEvents } from '../use-cases/card-plans.js';
import type { TierSubscriptions } from '../use-cases/ports/tier-subscriptions.js';
import { recordStripeInvoice } from '../use-cases/record-stripe-invoice.js';
import { refundStripePlan, type RefundedCharge } from '../use-cases/refund-stripe-plan.js';
import { syncStripeSubscription } from '../use-cases/sync-stripe-subscription.js';
import { paidInvoiceOf } from './stripe-plan-billing.js';

export interface StripePlanEventsOptions {
  readonly card: PriceCard;
  readonly cardPlans: CardPlanEvents;
  readonly tierSubscriptions: TierSubscriptions;
  readonly log: Logger;
  /** The clock a refund ends a plan by. @defaultValue the system clock */
  readonly now?: () => Date;
}

export interface PlanEventAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const subscriptionEvents = new Set([
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
]);

/** Events this module answers (besides refunds of plan payments, which the route hands over). */
export const isPlanEvent = (event: Stripe.Event): boolean =>
  subscriptionEvents.has(event.type) ||
  event.type === 'invoice.paid' ||
  event.type === 'invoice.payment_failed' ||
  ((event.type === 'checkout.session.completed' || event.type === 'checkout.session.async_payment_succeeded') && event.data.object.mode === 'subscription');

const idOf = (value: string | { id: string } | null | undefined): string | null => (typeof value === 'string' ? value : (value?.id ?? null));

/** Problems no retry can fix: a subscription the bot did not make, or a plan no longer on the card. */
const operatorProblems = new Set(['missing_metadata', 'unknown_plan', 'not_the_subscriber']);

export function createStripePlanEvents(options: StripePlanEventsOptions) {
  const now = options.now ?? (() => new Date());
  const deps = { card: options.card, cardPlans: options.cardPlans, tierSubscriptions: options.tierSubscriptions, now };
  const log = options.log;

  const answerProblem = (context: Record<string, unknown>, problem: { code: string }): PlanEventAnswer => {
    if (operatorProblems.has(problem.code)) log.error({ ...context, problem }, 'card plan event NOT applied: needs an operator');
    else log.info({ ...context, problem }, 'card plan event changes nothing');
    return { status: 200, body: { received: true, changed: false, reason: problem.code } };
  };

  async function sync(subscriptionId: string, context: Record<string, unknown>): Promise<PlanEventAnswer> {
    const synced = await syncStripeSubscription(deps, subscriptionId);
    if (!synced.ok) return answerProblem(context, synced.error);
    if (synced.value.outcome === 'waiting') {
      log.info({ ...context, reason: synced.value.reason }, 'card plan not live yet: nothing stored');
      return { status: 200, body: { received: true, changed: false, reason: 'waiting' } };
    }
    const { subscription } = synced.value;
    log.info(
      {
        ...context,
        userId: subscription.userId,
        tier: subscription.tierName,
        renewalTier: subscription.renewalTierName,
        status: subscription.ended ? 'ended' : subscription.status,
      },
      synced.value.outcome === 'ended' ? 'card plan ended' : 'card plan recorded',
    );
    return { status: 200, body: { received: true, subscription: subscription.ended ? 'ended' : subscription.status } };
  }

  async function invoicePaid(invoice: Stripe.Invoice, context: Record<string, unknown>): Promise<PlanEventAnswer> {
    const paid = paidInvoiceOf(invoice);
    if (paid === null) return { status: 200, body: { received: true, changed: false, reason: 'not_a_subscription_invoice' } };
    const recorded = await recordStripeInvoice(deps, paid);
    if (!recorded.ok) return answerProblem(context, recorded.error);
    const { userId, tierName, recorded: period, notice } = recorded.value;
    log.info(
      { ...context, userId, tier: tierName, periodId: String(period.periodId), credits: period.granted, replayed: !period.created },
      period.granted > 0 ? 'card plan period granted' : 'card plan period recorded: nothing more to grant',
    );
    if (notice.status === 'failed')
      log.warn({ ...context, userId, err: errorMessage(notice.error) }, 'could not tell the member about their plan credits; the credits are theirs');
    return { status: 200, body: { received: true, granted: period.granted } };
  }

  return {
    /** Answers a plan event; throws only when our side failed (the route answers 500 and Stripe retries). */
    async handle(event: Stripe.Event): Promise<PlanEventAnswer> {
      const context = { eventId: event.id, eventType: event.type };
      switch (event.type) {
        case 'invoice.paid':
          return invoicePaid(event.data.object, { ...context, invoiceId: event.data.object.id });
        case 'invoice.payment_failed': {
          // Stripe retries a failed renewal on its schedule; the tier lasts meanwhile and ends only
          // when Stripe gives up (customer.subscription.deleted, or status unpaid).
          const subscriptionId = idOf(event.data.object.parent?.subscription_details?.subscription);
          log.warn(
            { ...context, invoiceId: event.data.object.id, subscriptionId, attempt: event.data.object.attempt_count },
            'card plan renewal failed; Stripe retries',
          );
          return { status: 200, body: { received: true, changed: false } };
        }
        case 'checkout.session.completed':
        case 'checkout.session.async_payment_succeeded': {
          const subscriptionId = idOf(event.data.object.subscription);
          if (subscriptionId === null) return { status: 200, body: { received: true, changed: false, reason: 'no_subscription' } };
          return sync(subscriptionId, { ...context, subscriptionId });
        }
        default: {
          const subscription = event.data.object as Stripe.Subscription;
          return sync(subscription.id, { ...context, subscriptionId: subscription.id });
        }
      }
    },

    /** A refund of a charge that bought no pack: a plan's invoice, or not ours (null). Throws when our side failed. */
    async refund(charge: RefundedCharge, context: Record<string, unknown>): Promise<PlanEventAnswer | null> {
      const refunded = await refundStripePlan(deps, charge);
      if (!refunded.ok) {
        if (refunded.error.code === 'not_a_plan_payment') return null;
        return answerProblem(context, refunded.error);
      }
      const { userId, taken, alreadySpent, notice } = refunded.value;
      log.warn(
        { ...context, userId, taken, alreadySpent, notice: notice.status },
        taken > 0 ? 'card plan refunded: credits taken back' : 'card plan refund: nothing more to take',
      );
      if (notice.status === 'failed') log.warn({ ...context, userId, err: errorMessage(notice.error) }, 'could not tell the member about the plan refund');
      return { status: 200, body: { received: true, changed: taken > 0 } };
    },
  };
}

export type StripePlanEvents = ReturnType<typeof createStripePlanEvents>;

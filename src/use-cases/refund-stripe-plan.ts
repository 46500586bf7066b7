import { findTier } from '../domain/tiers.js';
import { planRefundKey, refundedShare } from '../domain/subscriptions/stripe-plans.js';
import { err, ok, type Result } from '../domain/result.js';
import type { CardPlanEvents } from './card-plans.js';
import type { PurchaseNoticeStatus } from './notify-purchase.js';
import { syncStripeSubscription, type SyncDeps, type SyncProblem } from './sync-stripe-subscription.js';

/** A refunded charge as Stripe reported it (signature verified); amounts are totals so far. A dispute is a full refund keyed by the dispute. */
export interface RefundedCharge {
  readonly kind: 'refunded' | 'disputed';
  /** The charge (a refund) or the dispute. */
  readonly chargeId: string;
  readonly paymentId: string;
  readonly paidCents: number;
  readonly refundedCents: number;
}

export type RefundPlanProblem = { readonly code: 'not_a_plan_payment'; readonly paymentId: string } | SyncProblem;

export interface RefundedPlan {
  readonly userId: string;
  /** Credits taken back by this call (0 for a replay). */
  readonly taken: number;
  /** Of the share to take back, what was spent or is held by running jobs. */
  readonly alreadySpent: number;
  readonly notice: PurchaseNoticeStatus;
}

/**
 * A refund of a plan's invoice: the tier ends now, the refunded share (refunded ÷ paid) of the
 * still-running period's credits is taken back from what is unspent — spent credits stay spent —
 * and Stripe stops billing the subscription. A dispute (chargeback) does the same in full. A refund of an invoice whose period is over takes
 * nothing (those credits have expired or were used) but still ends the plan. Stripe reports the
 * refunded total, so each state of the charge has its own key: a replay takes nothing, a further
 * refund takes only what is still missing.
 */
export async function refundStripePlan(
  deps: SyncDeps & { readonly cardPlans: CardPlanEvents },
  charge: RefundedCharge,
): Promise<Result<RefundedPlan, RefundPlanProblem>> {
  const invoice = await deps.cardPlans.billing.invoiceForPayment(charge.paymentId);
  if (invoice === null) return err({ code: 'not_a_plan_payment', paymentId: charge.paymentId });
  const synced = await syncStripeSubscription(deps, invoice.subscriptionId);
  if (!synced.ok) return synced;
  if (synced.value.outcome === 'waiting') return err({ code: 'subscription_not_found', subscriptionId: invoice.subscriptionId });
  const { subscription } = synced.value;
  const now = deps.now();
  const share = invoice.periodEnd > now ? refundedShare(charge.paidCents, charge.refundedCents) : 0;
  const ended = await deps.tierSubscriptions.end({
    subscriptionId: subscription.id,
    endsAt: now,
    reason:
      charge.kind === 'disputed'
        ? `card plan payment disputed (dispute ${charge.chargeId})`
        : `card plan refunded (charge ${charge.chargeId}, ${charge.refundedCents} of ${charge.paidCents} cents)`,
    takeBackFraction: share,
    key: planRefundKey(charge.chargeId, charge.refundedCents),
  });
  // Ended here for good: a renewal would be paid for and grant nothing.
  await deps.cardPlans.billing.cancelSubscription(invoice.subscriptionId);
  if (ended.taken <= 0 && ended.outcome === 'already')
    return ok({ userId: subscription.userId, taken: 0, alreadySpent: ended.shortfall, notice: { status: 'not_needed' } });
  let notice: PurchaseNoticeStatus = { status: 'sent' };
  try {
    const tierLabel = findTier(deps.card, subscription.tierName)?.label ?? subscription.tierName;
    await deps.cardPlans.notifier.planRefunded({ userId: subscription.userId, tierLabel, credits: ended.taken, alreadySpent: ended.shortfall });
  } catch (error) {
    notice = { status: 'failed', error };
  }
  return ok({ userId: subscription.userId, taken: ended.taken, alreadySpent: ended.shortfall, notice });
}

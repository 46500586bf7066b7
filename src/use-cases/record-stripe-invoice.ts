import { findTier } from '../domain/tiers.js';
import { paidInvoicePeriod, type InvoicePeriodProblem, type PaidInvoice } from '../domain/subscriptions/stripe-plans.js';
import { err, ok, type Result } from '../domain/result.js';
import type { CardPlanEvents } from './card-plans.js';
import type { PurchaseNoticeStatus } from './notify-purchase.js';
import type { RecordedPeriod } from './ports/tier-subscriptions.js';
import { syncStripeSubscription, type SyncDeps, type SyncProblem } from './sync-stripe-subscription.js';

export type RecordInvoiceProblem = InvoicePeriodProblem | SyncProblem | { readonly code: 'not_the_subscriber'; readonly userId: string };

export interface RecordedInvoice {
  readonly userId: string;
  readonly tierName: string;
  readonly recorded: RecordedPeriod;
  readonly notice: PurchaseNoticeStatus;
}

/**
 * `invoice.paid`: records the period the invoice paid for, once per invoice, and grants it to the
 * member at once (the ledger grants a period once, less what overlapping periods already gave: an
 * upgrade's invoice gives the difference). A replay, or a period Stripe already ended or a refund
 * revoked, grants nothing. The member is told only about credits granted now.
 */
export async function recordStripeInvoice(
  deps: SyncDeps & { readonly cardPlans: CardPlanEvents },
  invoice: PaidInvoice,
): Promise<Result<RecordedInvoice, RecordInvoiceProblem>> {
  if (invoice.status !== 'paid') return err({ code: 'not_paid', status: invoice.status });
  // The subscription first: its row must exist for the period to belong to, and its current
  // period tells an upgrade's invoice from a renewal's.
  const synced = await syncStripeSubscription(deps, invoice.subscriptionId);
  if (!synced.ok) return synced;
  const subscription = synced.value.outcome === 'waiting' ? null : synced.value.subscription;
  if (subscription === null) return err({ code: 'subscription_not_found', subscriptionId: invoice.subscriptionId });
  const period = paidInvoicePeriod(deps.card, invoice, { start: subscription.periodStart, end: subscription.periodEnd });
  if (!period.ok) return period;
  const { userId, plan, reference, credits, periodStart, periodEnd, expiresAt } = period.value;
  if (userId !== subscription.userId) return err({ code: 'not_the_subscriber', userId });
  const recorded = await deps.tierSubscriptions.recordPaidPeriod(subscription.id, {
    reference,
    tierName: plan.tier.name,
    credits,
    periodStart,
    periodEnd,
    expiresAt,
  });
  if (recorded.granted <= 0) return ok({ userId, tierName: plan.tier.name, recorded, notice: { status: 'not_needed' } });
  let notice: PurchaseNoticeStatus = { status: 'sent' };
  try {
    const tierLabel = findTier(deps.card, plan.tier.name)?.label ?? plan.tier.name;
    await deps.cardPlans.notifier.planCreditsGranted({ userId, tierLabel, credits: recorded.granted, expiresAt });
  } catch (error) {
    notice = { status: 'failed', error };
  }
  return ok({ userId, tierName: plan.tier.name, recorded, notice });
}

// Stripe subscriptions (issue 15): what a card plan's checkout carries, and how Stripe's account of
// a subscription and of its paid invoices becomes the bot's tier and paid periods. Pure: the
// payments adapter turns Stripe's objects into the shapes below, the use cases store the answers.
//
// Stripe sends events late, twice and out of order, so nothing here reads an event's history: a
// subscription's state is what Stripe says it is now (the adapter fetches it), and a paid invoice
// is a fact that names its own period. Repeating either changes nothing.
import type { PlanInterval } from '../pricing/card-terms.js';
import type { PriceCard } from '../pricing/price-card-schema.js';
import { err, ok, type Result } from '../result.js';
import { planUpdate, type KnownPlan } from './plan-change.js';
import { findPlan, paidPeriodExpiry, type SoldPlan } from './plans.js';

/** Plans are priced in US dollars on the card, and their checkouts are made in them. */
export const planCurrency = 'usd';

/** A plan's price in cents; the card allows whole cents only, so rounding only removes float noise. */
export const planPriceCents = (plan: SoldPlan): number => Math.round(plan.plan.priceUsd * 100);

/**
 * What a plan's checkout puts on the Stripe subscription (and Stripe copies onto each of its
 * invoices): who pays, for which plan. The guild is only where they clicked: a card plan is the
 * member's own, in every server.
 */
export const planMetadata = (input: { readonly userId: string; readonly guildId: string; readonly plan: SoldPlan }): Record<string, string> => ({
  userId: input.userId,
  guildId: input.guildId,
  planId: input.plan.id,
  tier: input.plan.tier.name,
});

export interface PlanMetadata {
  readonly userId: string;
  readonly planId: string;
}

export type PlanMetadataProblem = { readonly code: 'missing_metadata'; readonly field: 'userId' | 'planId' };

const snowflake = /^\d{17,20}$/;

export function parsePlanMetadata(metadata: Readonly<Record<string, string>> | null | undefined): Result<PlanMetadata, PlanMetadataProblem> {
  const userId = metadata?.['userId'];
  const planId = metadata?.['planId'];
  if (!userId || !snowflake.test(userId)) return err({ code: 'missing_metadata', field: 'userId' });
  if (!planId) return err({ code: 'missing_metadata', field: 'planId' });
  return ok({ userId, planId });
}

/** A Stripe subscription as Stripe describes it now (fetched, not taken from an old event). */
export interface StripeSubscriptionState {
  readonly id: string;
  readonly customerId: string;
  /** Stripe's status: active, trialing, past_due, unpaid, canceled, incomplete, incomplete_expired, paused. */
  readonly status: string;
  /** Cancelled by the member (the portal) or the operator: the tier lasts to the period's end and does not renew. */
  readonly cancelAtPeriodEnd: boolean;
  readonly cancelAt: Date | null;
  readonly endedAt: Date | null;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly metadata: Readonly<Record<string, string>>;
}

/** What the bot stores for a subscription, as the use case hands it to the TierSubscriptions port. */
export interface PlanRecord {
  readonly userId: string;
  readonly tierName: string;
  readonly renewalTierName: string | null;
  readonly interval: PlanInterval;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly status: 'active' | 'ending';
}

/** The subscription as the bot last stored it (null: never seen). */
export interface StoredPlan extends KnownPlan {
  readonly ended: boolean;
}

export type SubscriptionChange =
  /** Store it: the tier, its period, and whether it renews. */
  | { readonly kind: 'record'; readonly plan: SoldPlan; readonly record: PlanRecord }
  /** Stripe ended it (deleted, or gave up retrying a failed renewal): the tier ends then, nothing is taken back. */
  | { readonly kind: 'end'; readonly userId: string; readonly endsAt: Date; readonly reason: string }
  /** Not a live plan yet (first payment not made) or paused: nothing to store. */
  | { readonly kind: 'wait'; readonly reason: string };

export type SubscriptionChangeProblem = PlanMetadataProblem | { readonly code: 'unknown_plan'; readonly planId: string };

/** Statuses in which the member has paid for the current period, or Stripe is still retrying its renewal. */
const liveStatuses = new Set(['active', 'trialing', 'past_due']);
/** Statuses in which Stripe will not charge again: the tier is over. `unpaid`: retries exhausted, kept open. */
const endedStatuses = new Set(['canceled', 'unpaid', 'incomplete_expired']);

/**
 * What a subscription's current state means for the member's tier. A plan change inside a paid
 * period: an upgrade takes the new tier at once (its difference is granted when Stripe is paid
 * for it, see paidInvoicePeriod); a downgrade keeps the tier paid for until the period ends and
 * names the lower one as the renewal's.
 */
export function subscriptionChange(
  card: PriceCard,
  state: StripeSubscriptionState,
  previous: StoredPlan | null,
  now: Date,
): Result<SubscriptionChange, SubscriptionChangeProblem> {
  const metadata = parsePlanMetadata(state.metadata);
  if (!metadata.ok) return metadata;
  const { userId, planId } = metadata.value;
  if (endedStatuses.has(state.status)) {
    return ok({ kind: 'end', userId, endsAt: state.endedAt ?? now, reason: `Stripe subscription ${state.id} ${state.status}` });
  }
  if (!liveStatuses.has(state.status)) return ok({ kind: 'wait', reason: `status ${state.status}` });
  const plan = findPlan(card, planId);
  if (!plan) return err({ code: 'unknown_plan', planId });
  // The same rule as Discord plans: an upgrade applies at once, a downgrade waits for the renewal.
  const update = planUpdate(card, previous && !previous.ended ? previous : null, {
    tier: plan.tier,
    plan: plan.plan,
    renewal: null,
    periodStart: state.periodStart,
  });
  return ok({
    kind: 'record',
    plan,
    record: {
      userId,
      tierName: update.tierName,
      renewalTierName: update.renewalTierName,
      interval: plan.plan.interval,
      periodStart: state.periodStart,
      periodEnd: state.periodEnd,
      status: state.cancelAtPeriodEnd || state.cancelAt !== null ? 'ending' : 'active',
    },
  });
}

/** A paid invoice of a subscription, as Stripe sent it (signature verified). */
export interface PaidInvoice {
  readonly id: string;
  readonly subscriptionId: string;
  /** `paid` grants; anything else (a draft, an open invoice Stripe is still retrying) does not. */
  readonly status: string;
  /** The subscription's metadata as it was when the invoice was finalized: the plan it bills. */
  readonly metadata: Readonly<Record<string, string>>;
  /**
   * Its lines: a renewal's plan line for the new period; a plan change's proration lines (the old
   * plan's unused time back, negative; the new plan for the rest of the period), invoiced at once
   * or added to the next renewal's invoice.
   */
  readonly lines: readonly { readonly amountCents: number; readonly periodStart: Date; readonly periodEnd: Date; readonly proration: boolean }[];
}

export interface InvoicePeriod {
  readonly userId: string;
  readonly plan: SoldPlan;
  readonly reference: string;
  readonly credits: number;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly expiresAt: Date;
}

export type InvoicePeriodProblem =
  | PlanMetadataProblem
  | { readonly code: 'not_paid'; readonly status: string }
  | { readonly code: 'unknown_plan'; readonly planId: string }
  | { readonly code: 'nothing_charged' };

/** A paid period's name in the ledger: one per invoice, whichever event (or retry) records it. */
export const invoiceReference = (invoiceId: string): string => `stripe-invoice:${invoiceId}`;

/**
 * The paid period an invoice bought: the plan's credits for the window its charged lines cover.
 * A renewal's window is its plan line's period; proration lines on it belong to the period that
 * ended (they are paid for, but that period is over). An invoice of proration lines only is a
 * mid-period upgrade charged at once: it charges from the change to the period's end and is
 * recorded over the whole current period, so the ledger grants the new tier's allowance less what
 * the period already gave — the difference, once.
 */
export function paidInvoicePeriod(
  card: PriceCard,
  invoice: PaidInvoice,
  currentPeriod: { readonly start: Date; readonly end: Date } | null,
): Result<InvoicePeriod, InvoicePeriodProblem> {
  if (invoice.status !== 'paid') return err({ code: 'not_paid', status: invoice.status });
  const metadata = parsePlanMetadata(invoice.metadata);
  if (!metadata.ok) return metadata;
  const plan = findPlan(card, metadata.value.planId);
  if (!plan) return err({ code: 'unknown_plan', planId: metadata.value.planId });
  const positive = invoice.lines.filter((line) => line.amountCents > 0 && line.periodEnd > line.periodStart);
  const renewal = positive.filter((line) => !line.proration);
  const charged = renewal.length > 0 ? renewal : positive;
  if (charged.length === 0) return err({ code: 'nothing_charged' });
  let start = Math.min(...charged.map((line) => line.periodStart.getTime()));
  const end = Math.max(...charged.map((line) => line.periodEnd.getTime()));
  if (currentPeriod && currentPeriod.end.getTime() === end && currentPeriod.start.getTime() < start) start = currentPeriod.start.getTime();
  const periodStart = new Date(start);
  const periodEnd = new Date(end);
  return ok({
    userId: metadata.value.userId,
    plan,
    reference: invoiceReference(invoice.id),
    credits: plan.credits,
    periodStart,
    periodEnd,
    expiresAt: paidPeriodExpiry(periodStart, periodEnd, plan.tier.rolloverPeriods),
  });
}

/**
 * The share of a paid period to take back once `refundedCents` of `paidCents` are refunded (Stripe
 * reports the refunded total so far): all of it for a full refund or a payment of unknown amount.
 * A yearly plan's refund is prorated this way: refund the unused share of the price, and that share
 * of the year's credits is taken back from what is unspent.
 */
export function refundedShare(paidCents: number, refundedCents: number): number {
  if (!(paidCents > 0) || refundedCents >= paidCents) return 1;
  if (!(refundedCents > 0)) return 0;
  return refundedCents / paidCents;
}

/** The take-back's key: one per refunded total of a charge, so a replay takes nothing again and a further refund takes only what is missing. */
export const planRefundKey = (chargeId: string, refundedCents: number): string => `stripe-plan-refund:${chargeId}:${refundedCents}`;

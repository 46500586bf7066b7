// Card subscriptions (issue 15): the payment provider's side of a sold plan — Stripe Checkout in
// subscription mode, its billing portal, and what it says a subscription or a payment is now.
// Implemented in src/payments/stripe-plan-billing.ts; absent when Stripe is not configured.
import type { SoldPlan } from '../../domain/subscriptions/plans.js';
import type { StripeSubscriptionState } from '../../domain/subscriptions/stripe-plans.js';
import type { Result } from '../../domain/result.js';
import type { CheckoutSession, CheckoutUnavailable } from './checkout.js';
import type { GuildId, UserId } from './ledger.js';

export interface PlanCheckoutRequest {
  readonly plan: SoldPlan;
  readonly userId: UserId;
  /** Where they clicked (kept on the subscription for the dashboard); the plan is theirs in every server. */
  readonly guildId: GuildId;
  /** The member's Stripe customer, so all their plans share one billing portal. */
  readonly customerId: string;
  /** Where the payment page sends the member back to. */
  readonly returnUrl: string;
  /** The click's interaction id: a retried click gets the same session, not a second one. */
  readonly idempotencyKey: string;
}

/** The charge a refund or dispute concerns, as the provider reports the invoice it paid. */
export interface InvoicePaymentOf {
  readonly invoiceId: string;
  readonly subscriptionId: string;
  /** The period the invoice paid for (its charged lines), to tell a running period from an old one. */
  readonly periodEnd: Date;
}

export interface PlanBilling {
  /** Makes a customer for a member who has none yet; the same key makes the same customer. */
  createCustomer(userId: UserId): Promise<Result<string, CheckoutUnavailable>>;
  createPlanSession(request: PlanCheckoutRequest): Promise<Result<CheckoutSession, CheckoutUnavailable>>;
  /** A link to the provider's billing portal for one customer (cancel, change the card, invoices). */
  createPortalSession(customerId: string, returnUrl: string): Promise<Result<{ readonly url: string }, CheckoutUnavailable>>;
  /** The subscription as the provider has it now; null if it has none by that id. Throws when it cannot be asked. */
  subscription(subscriptionId: string): Promise<StripeSubscriptionState | null>;
  /** The subscription invoice a payment (Stripe: payment intent) paid, or null if it paid none. Throws when the provider cannot be asked. */
  invoiceForPayment(paymentId: string): Promise<InvoicePaymentOf | null>;
  /** Stops billing a subscription at once (its tier was ended here, by a refund). An already cancelled one is fine. */
  cancelSubscription(subscriptionId: string): Promise<void>;
}

/** Which provider customer is which member (src/db/stripe-customers.ts). */
export interface StripeCustomers {
  find(userId: UserId): Promise<string | null>;
  /** Stores the member's customer unless they have one; returns the one stored (the first wins). */
  remember(userId: UserId, customerId: string): Promise<string>;
}

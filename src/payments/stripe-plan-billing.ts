// Card subscriptions on Stripe: Checkout in subscription mode with the plan's price from the card
// (inline price_data with `recurring`, so nothing is set up in the Stripe dashboard), the billing
// portal, and reading back what Stripe says a subscription or a payment is now.
import type Stripe from 'stripe';
import { planCurrency, planMetadata, planPriceCents, type PaidInvoice, type StripeSubscriptionState } from '../domain/subscriptions/stripe-plans.js';
import { err, ok } from '../domain/result.js';
import { errorMessage } from '../shared/error-message.js';
import type { InvoicePaymentOf, PlanBilling } from '../use-cases/ports/plan-billing.js';

const sessionLifetimeSeconds = 60 * 60;
const fromUnix = (seconds: number): Date => new Date(seconds * 1000);
const idOf = (value: string | { id: string } | null | undefined): string | null => (typeof value === 'string' ? value : (value?.id ?? null));

const isMissing = (error: unknown): boolean => (error as { code?: string; statusCode?: number }).code === 'resource_missing';

/** A subscription as the domain reads it: the plan's one item carries the current period. */
export function subscriptionState(subscription: Stripe.Subscription): StripeSubscriptionState {
  const [item] = subscription.items.data;
  if (!item) throw new Error(`Stripe subscription ${subscription.id} has no items`);
  return {
    id: subscription.id,
    customerId: idOf(subscription.customer) ?? '',
    status: subscription.status,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    cancelAt: subscription.cancel_at === null ? null : fromUnix(subscription.cancel_at),
    endedAt: subscription.ended_at === null ? null : fromUnix(subscription.ended_at),
    periodStart: fromUnix(item.current_period_start),
    periodEnd: fromUnix(item.current_period_end),
    metadata: subscription.metadata ?? {},
  };
}

/** A verified invoice event's invoice as the domain reads it; null for an invoice no subscription made. */
export function paidInvoiceOf(invoice: Stripe.Invoice): PaidInvoice | null {
  const details = invoice.parent?.subscription_details;
  const subscriptionId = idOf(details?.subscription);
  if (!invoice.id || !subscriptionId) return null;
  return {
    id: invoice.id,
    subscriptionId,
    status: invoice.status ?? 'draft',
    metadata: details?.metadata ?? {},
    lines: invoice.lines.data.map((line) => ({
      amountCents: line.amount,
      periodStart: fromUnix(line.period.start),
      periodEnd: fromUnix(line.period.end),
      proration: line.parent?.subscription_item_details?.proration ?? false,
    })),
  };
}

export function createStripePlanBilling(stripe: Stripe): PlanBilling {
  return {
    async createCustomer(userId) {
      try {
        // Keyed by member: two first clicks at once make one customer.
        const customer = await stripe.customers.create(
          { metadata: { userId }, description: `Discord member ${userId}` },
          { idempotencyKey: `customer:${userId}` },
        );
        return ok(customer.id);
      } catch (error) {
        return err({ code: 'checkout_unavailable', detail: errorMessage(error) });
      }
    },

    async createPlanSession({ plan, userId, guildId, customerId, returnUrl, idempotencyKey }) {
      const metadata = planMetadata({ userId, guildId, plan });
      try {
        const session = await stripe.checkout.sessions.create(
          {
            mode: 'subscription',
            customer: customerId,
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: planCurrency,
                  unit_amount: planPriceCents(plan),
                  recurring: { interval: plan.plan.interval },
                  product_data: {
                    name: `${plan.tier.label ?? plan.tier.name} plan (${plan.credits} credits a ${plan.plan.interval})`,
                    description: 'Image bot plan: its credits arrive at each renewal and work in every server. Cancel any time.',
                  },
                },
              },
            ],
            metadata,
            // Stripe copies the subscription's metadata onto each invoice: every renewal names its plan and member.
            subscription_data: { metadata },
            client_reference_id: userId,
            success_url: returnUrl,
            cancel_url: returnUrl,
            expires_at: Math.floor(Date.now() / 1000) + sessionLifetimeSeconds,
          },
          { idempotencyKey: `plan-checkout:${idempotencyKey}` },
        );
        if (!session.url) return err({ code: 'checkout_unavailable', detail: `session ${session.id} has no payment page url` });
        return ok({ id: session.id, url: session.url });
      } catch (error) {
        return err({ code: 'checkout_unavailable', detail: errorMessage(error) });
      }
    },

    async createPortalSession(customerId, returnUrl) {
      try {
        const session = await stripe.billingPortal.sessions.create({ customer: customerId, return_url: returnUrl });
        return ok({ url: session.url });
      } catch (error) {
        return err({ code: 'checkout_unavailable', detail: errorMessage(error) });
      }
    },

    async subscription(subscriptionId) {
      try {
        return subscriptionState(await stripe.subscriptions.retrieve(subscriptionId));
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async invoiceForPayment(paymentId): Promise<InvoicePaymentOf | null> {
      const page = await stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentId }, limit: 1 });
      const invoiceId = idOf(page.data[0]?.invoice as { id: string } | string | undefined);
      if (!invoiceId) return null;
      const invoice = paidInvoiceOf(await stripe.invoices.retrieve(invoiceId));
      if (!invoice) return null;
      // The period it paid for: its renewal line's, else (an upgrade charged at once) its proration's.
      const positive = invoice.lines.filter((line) => line.amountCents > 0);
      const renewal = positive.filter((line) => !line.proration);
      const ends = (renewal.length > 0 ? renewal : positive).map((line) => line.periodEnd.getTime());
      return { invoiceId, subscriptionId: invoice.subscriptionId, periodEnd: new Date(ends.length > 0 ? Math.max(...ends) : 0) };
    },

    async cancelSubscription(subscriptionId) {
      const current = await stripe.subscriptions.retrieve(subscriptionId);
      if (current.status === 'canceled' || current.status === 'incomplete_expired') return;
      await stripe.subscriptions.cancel(subscriptionId, {}, { idempotencyKey: `cancel:${subscriptionId}` });
    },
  };
}

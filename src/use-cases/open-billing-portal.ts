import { err, ok, type Result } from '../domain/result.js';
import type { CardPlans } from './card-plans.js';

export type BillingPortalProblem =
  | { readonly code: 'card_payments_off' }
  /** They never subscribed by card: there is nothing to manage. */
  | { readonly code: 'no_card_plan' }
  | { readonly code: 'checkout_unavailable'; readonly detail: string };

/**
 * "Manage card plan" under /subscribe: a link to Stripe's billing portal for the member's own
 * customer, where they cancel (at the period's end), change their card or read their invoices.
 */
export async function openBillingPortal(
  deps: { readonly cardPlans?: CardPlans | undefined },
  input: { readonly userId: string; readonly returnUrl: string },
): Promise<Result<{ readonly url: string }, BillingPortalProblem>> {
  if (!deps.cardPlans) return err({ code: 'card_payments_off' });
  const customerId = await deps.cardPlans.customers.find(input.userId);
  if (customerId === null) return err({ code: 'no_card_plan' });
  const portal = await deps.cardPlans.billing.createPortalSession(customerId, input.returnUrl);
  return portal.ok ? ok(portal.value) : portal;
}

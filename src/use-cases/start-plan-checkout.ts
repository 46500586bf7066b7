import { findPlan, type SoldPlan } from '../domain/subscriptions/plans.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { err, ok, type Result } from '../domain/result.js';
import type { CheckoutSession } from './ports/checkout.js';
import type { CardPlans } from './card-plans.js';
import type { TierSubscriptions } from './ports/tier-subscriptions.js';
import { ensureCustomer } from './card-plan-customer.js';

export interface StartPlanCheckoutInput {
  /** `pro-week`: the card's tier and plan interval (domain/subscriptions/plans.ts planId). */
  readonly planId: string;
  readonly userId: string;
  readonly guildId: string;
  /** Where the payment page sends the member back to. */
  readonly returnUrl: string;
  /** The click's interaction id: a retried click gets the same session, not a second one. */
  readonly idempotencyKey: string;
}

export type PlanCheckoutProblem =
  | { readonly code: 'card_payments_off' }
  | { readonly code: 'plan_not_sold' }
  /** They already pay for a card plan: change or cancel it in the billing portal rather than pay twice. */
  | { readonly code: 'already_subscribed'; readonly tierName: string; readonly periodEnd: Date }
  | { readonly code: 'checkout_unavailable'; readonly detail: string };

/**
 * "Subscribe with card" under /subscribe: a Stripe Checkout session in subscription mode for the
 * member who clicked, with the plan's price from the card. The signed `invoice.paid` webhook
 * grants each paid period once.
 */
export async function startPlanCheckout(
  deps: { readonly card: PriceCard; readonly cardPlans?: CardPlans | undefined; readonly tierSubscriptions: TierSubscriptions; readonly now: () => Date },
  input: StartPlanCheckoutInput,
): Promise<Result<{ readonly plan: SoldPlan; readonly session: CheckoutSession }, PlanCheckoutProblem>> {
  if (!deps.cardPlans) return err({ code: 'card_payments_off' });
  const plan = findPlan(deps.card, input.planId);
  if (!plan) return err({ code: 'plan_not_sold' });
  const live = await deps.tierSubscriptions.live(input.userId, input.guildId, deps.now());
  const current = live.find((subscription) => subscription.source === 'stripe' && subscription.scope === 'user');
  if (current) return err({ code: 'already_subscribed', tierName: current.tierName, periodEnd: current.periodEnd });
  const customer = await ensureCustomer(deps.cardPlans, input.userId);
  if (!customer.ok) return customer;
  const session = await deps.cardPlans.billing.createPlanSession({
    plan,
    userId: input.userId,
    guildId: input.guildId,
    customerId: customer.value,
    returnUrl: input.returnUrl,
    idempotencyKey: input.idempotencyKey,
  });
  return session.ok ? ok({ plan, session: session.value }) : session;
}

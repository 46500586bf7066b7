import type { PlanBilling, StripeCustomers } from './ports/plan-billing.js';
import type { PlanNotifier } from './ports/plan-notifier.js';

/** Card subscriptions (Stripe), present only when Stripe is configured. */
export interface CardPlans {
  readonly billing: PlanBilling;
  readonly customers: StripeCustomers;
}

/** What the payment webhook needs besides: the member is told when a plan's credits arrive. */
export interface CardPlanEvents extends CardPlans {
  readonly notifier: PlanNotifier;
}

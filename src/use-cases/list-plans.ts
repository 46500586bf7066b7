import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { soldPlans, type SoldPlan } from '../domain/subscriptions/plans.js';
import type { CardPlans } from './card-plans.js';

export interface PlanList {
  readonly card: PriceCard;
  /** Every plan on the card, lowest tier first; empty when the bot sells none. */
  readonly plans: readonly SoldPlan[];
  /** Whether plans can be bought by card (Stripe subscriptions are configured). */
  readonly cardPayments: boolean;
}

/** /subscribe: the plans and the ways to buy them. Nothing is created at a payment provider here: a session is made per click. */
export const listPlans = (deps: { readonly card: PriceCard; readonly cardPlans?: CardPlans | undefined }): PlanList => ({
  card: deps.card,
  plans: soldPlans(deps.card),
  cardPayments: deps.cardPlans !== undefined,
});

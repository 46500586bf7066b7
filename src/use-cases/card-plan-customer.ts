import { ok, type Result } from '../domain/result.js';
import type { CardPlans } from './card-plans.js';
import type { CheckoutUnavailable } from './ports/checkout.js';

/**
 * The member's Stripe customer: the stored one, else (with `create`) a new one, stored before it
 * is used so every later plan and the billing portal share it. null: none and not asked to create.
 */
export async function customerOf(cardPlans: CardPlans, userId: string, options: { create: boolean }): Promise<Result<string | null, CheckoutUnavailable>> {
  const stored = await cardPlans.customers.find(userId);
  if (stored !== null || !options.create) return ok(stored);
  const created = await cardPlans.billing.createCustomer(userId);
  if (!created.ok) return created;
  return ok(await cardPlans.customers.remember(userId, created.value));
}

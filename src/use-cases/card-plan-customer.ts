import { ok, type Result } from '../domain/result.js';
import type { CardPlans } from './card-plans.js';
import type { CheckoutUnavailable } from './ports/checkout.js';

/**
 * The member's Stripe customer: the stored one, else a new one, stored before it is used so every
 * later plan and the billing portal share it (two first clicks at once keep the first stored).
 */
export async function ensureCustomer(cardPlans: CardPlans, userId: string): Promise<Result<string, CheckoutUnavailable>> {
  const stored = await cardPlans.customers.find(userId);
  if (stored !== null) return ok(stored);
  const created = await cardPlans.billing.createCustomer(userId);
  if (!created.ok) return created;
  return ok(await cardPlans.customers.remember(userId, created.value));
}

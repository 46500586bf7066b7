import { findPack } from '../domain/pricing/packs.js';
import type { Pack, PriceCard } from '../domain/pricing/price-card-schema.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Checkout, CheckoutSession } from './ports/checkout.js';

export interface StartCheckoutInput {
  readonly packId: string;
  readonly userId: string;
  readonly guildId: string;
  /** Where the payment page sends the member back to. */
  readonly returnUrl: string;
  /** The click's interaction id: a retried click gets the same session, not a second one. */
  readonly idempotencyKey: string;
}

export type CheckoutProblem =
  { readonly code: 'card_payments_off' } | { readonly code: 'pack_not_sold' } | { readonly code: 'checkout_unavailable'; readonly detail: string };

/**
 * "Buy with card" under /topup: a Stripe Checkout session for the member who clicked, in this
 * guild. The webhook grants the pack once it is paid.
 */
export async function startCheckout(
  deps: { readonly card: PriceCard; readonly checkout?: Checkout | undefined },
  input: StartCheckoutInput,
): Promise<Result<{ readonly pack: Pack; readonly session: CheckoutSession }, CheckoutProblem>> {
  if (!deps.checkout) return err({ code: 'card_payments_off' });
  const pack = findPack(deps.card, input.packId);
  if (!pack) return err({ code: 'pack_not_sold' });
  const { userId, guildId, returnUrl, idempotencyKey } = input;
  const session = await deps.checkout.createSession({ pack, userId, guildId, returnUrl, idempotencyKey });
  return session.ok ? ok({ pack, session: session.value }) : session;
}

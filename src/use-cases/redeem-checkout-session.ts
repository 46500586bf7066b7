import type { LedgerError } from '../domain/credits/ledger-errors.js';
import { parseCheckoutMetadata, type CheckoutMetadataProblem } from '../domain/payments/checkout-metadata.js';
import { checkoutMatchesPack, type CheckoutMismatch } from '../domain/payments/checkout-match.js';
import { findPack } from '../domain/pricing/packs.js';
import type { Pack, PriceCard } from '../domain/pricing/price-card-schema.js';
import { err, ok, type Result } from '../domain/result.js';
import type { CompletedCheckout } from './ports/checkout.js';
import type { Granted, Ledger } from './ports/ledger.js';
import type { PurchaseNotifier } from './ports/purchase-notifier.js';
import { notifyPurchase, type PurchaseNoticeStatus } from './notify-purchase.js';

export interface RedeemCheckoutOptions {
  readonly ledger: Ledger;
  readonly card: PriceCard;
  readonly notifier: PurchaseNotifier;
  readonly checkout: CompletedCheckout;
}

export type RedeemCheckoutError =
  { readonly code: 'not_paid' } | CheckoutMetadataProblem | { readonly code: 'unknown_pack'; readonly packId: string } | CheckoutMismatch | LedgerError;

export interface RedeemedCheckout {
  readonly pack: Pack;
  readonly userId: string;
  readonly granted: Granted;
  /** `sent`, `failed` (with why), or `not_needed` for a replay: the member was told the first time. */
  readonly notice: PurchaseNoticeStatus;
}

/** The ledger key of a checkout's grant; its reversals find the purchase by it. */
export const checkoutGrantKey = (sessionId: string): string => `stripe:${sessionId}`;

/**
 * Grants the pack a paid card checkout bought, once per session: the ledger key `stripe:<session>`
 * makes a replayed or concurrent duplicate webhook grant nothing. Only a session that paid the
 * pack's price on the card, in its currency, for the pack's credits grants anything. Then tells
 * the member, only for the grant that actually happened; a failed message never undoes or repeats
 * the grant.
 */
export async function redeemCheckoutSession(options: RedeemCheckoutOptions): Promise<Result<RedeemedCheckout, RedeemCheckoutError>> {
  const { checkout } = options;
  if (!checkout.paid) return err({ code: 'not_paid' });
  const metadata = parseCheckoutMetadata(checkout.metadata);
  if (!metadata.ok) return metadata;
  const pack = findPack(options.card, metadata.value.packId);
  if (!pack) return err({ code: 'unknown_pack', packId: metadata.value.packId });
  const { userId, credits } = metadata.value;
  const matches = checkoutMatchesPack(pack, checkout, credits);
  if (!matches.ok) return matches;
  const granted = await options.ledger.grant({
    key: checkoutGrantKey(checkout.sessionId),
    userId,
    guildId: null,
    kind: 'topup',
    amount: credits,
    expiresAt: null,
    actorId: 'stripe',
    reason: `bought ${pack.label ?? pack.id} by card (Stripe Checkout ${checkout.sessionId})`,
  });
  if (!granted.ok) return granted;
  if (granted.value.replayed) return ok({ pack, userId, granted: granted.value, notice: { status: 'not_needed' } });
  const notice = await notifyPurchase(options, { userId, pack, credits, paidWith: 'card' });
  return ok({ pack, userId, granted: granted.value, notice });
}

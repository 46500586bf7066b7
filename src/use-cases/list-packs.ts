import { packOffers, type PackOffer } from '../domain/pricing/packs.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import type { Checkout } from './ports/checkout.js';

export interface PackList {
  readonly card: PriceCard;
  /** The card's packs with their bulk discounts; empty when the bot sells none. */
  readonly offers: readonly PackOffer[];
  /** Whether packs can be bought by card (Stripe Checkout is configured). */
  readonly cardPayments: boolean;
}

/** /topup: the packs and the ways to buy them. Nothing is created at the payment provider here: a session is made per click. */
export const listPacks = (deps: { readonly card: PriceCard; readonly checkout?: Checkout | undefined }): PackList => ({
  card: deps.card,
  offers: packOffers(deps.card),
  cardPayments: deps.checkout !== undefined,
});

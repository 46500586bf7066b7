// Whether a paid checkout bought exactly the pack its metadata names, as the price card sells it
// now. The metadata is ours and signed back by Stripe, but the amount is what the buyer paid:
// a session whose total or currency is not the pack's price (a discount, another currency, a
// session made by other tooling on the same Stripe account) or that promises other credits than
// the pack's must not grant the pack.
import type { Pack } from '../pricing/price-card-schema.js';
import { err, ok, type Result } from '../result.js';
import { priceInCents } from './checkout-metadata.js';

/** Packs are priced in US dollars on the card, and checkouts are made in them. */
export const packCurrency = 'usd';

export type CheckoutMismatch =
  | {
      readonly code: 'price_mismatch';
      readonly expectedCents: number;
      readonly expectedCurrency: string;
      readonly paidCents: number | null;
      readonly paidCurrency: string | null;
    }
  | { readonly code: 'credits_mismatch'; readonly promised: number; readonly packCredits: number };

export function checkoutMatchesPack(
  pack: Pack,
  paid: { readonly amountTotal: number | null; readonly currency: string | null },
  promisedCredits: number,
): Result<Pack, CheckoutMismatch> {
  const expectedCents = priceInCents(pack);
  if (paid.amountTotal !== expectedCents || paid.currency?.toLowerCase() !== packCurrency) {
    return err({ code: 'price_mismatch', expectedCents, expectedCurrency: packCurrency, paidCents: paid.amountTotal, paidCurrency: paid.currency });
  }
  if (promisedCredits !== pack.credits) return err({ code: 'credits_mismatch', promised: promisedCredits, packCredits: pack.credits });
  return ok(pack);
}

// Checkout sessions for packs: one session per click, made for one member and guild. The pack's
// price comes from the price card as inline price_data, so no Stripe products need to be set up.
import type Stripe from 'stripe';
import { checkoutMetadata, priceInCents } from '../domain/payments/checkout-metadata.js';
import { packCurrency } from '../domain/payments/checkout-match.js';
import { err, ok } from '../domain/result.js';
import type { Checkout, CompletedCheckout } from '../use-cases/ports/checkout.js';
import { errorMessage } from '../shared/error-message.js';

const sessionLifetimeSeconds = 60 * 60;

export function createStripeCheckout(stripe: Stripe): Checkout {
  return {
    async createSession({ pack, userId, guildId, returnUrl, idempotencyKey }) {
      const metadata = checkoutMetadata({ userId, guildId, pack });
      try {
        const session = await stripe.checkout.sessions.create(
          {
            mode: 'payment',
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: packCurrency,
                  unit_amount: priceInCents(pack),
                  product_data: {
                    name: `${pack.credits} credits${pack.label ? ` (${pack.label})` : ''}`,
                    description: 'Top-up credits for the image bot: they never expire and work in every server.',
                  },
                },
              },
            ],
            metadata,
            // Also on the payment itself, so the Stripe dashboard shows who bought what.
            payment_intent_data: { metadata },
            client_reference_id: userId,
            success_url: returnUrl,
            cancel_url: returnUrl,
            // The webhook grants only a session that paid the card's price as it is when paid; an
            // hour (Stripe's default is a day) keeps a price change from catching many open pages.
            expires_at: Math.floor(Date.now() / 1000) + sessionLifetimeSeconds,
          },
          { idempotencyKey: `topup-checkout:${idempotencyKey}` },
        );
        if (!session.url) return err({ code: 'checkout_unavailable', detail: `session ${session.id} has no payment page url` });
        return ok({ id: session.id, url: session.url });
      } catch (error) {
        return err({ code: 'checkout_unavailable', detail: errorMessage(error) });
      }
    },
    async sessionForPayment(paymentId) {
      const page = await stripe.checkout.sessions.list({ payment_intent: paymentId, limit: 1 });
      const [session] = page.data;
      return session ? completedCheckout(session) : null;
    },
  };
}

/**
 * The parts of a verified session event the grant needs. With Adaptive Pricing, Stripe shows the
 * buyer their own currency and reports it as the session's; `currency_conversion` keeps the amount
 * in the currency we made the session in, which is what the pack's price is compared with.
 */
export const completedCheckout = (session: Stripe.Checkout.Session): CompletedCheckout => ({
  sessionId: session.id,
  paid: session.payment_status === 'paid',
  metadata: session.metadata ?? {},
  clientReferenceId: session.client_reference_id,
  amountTotal: session.currency_conversion ? session.currency_conversion.amount_total : session.amount_total,
  currency: session.currency_conversion ? session.currency_conversion.source_currency : session.currency,
});

import type { Pack } from '../../domain/pricing/price-card-schema.js';
import type { Result } from '../../domain/result.js';
import type { GuildId, UserId } from './ledger.js';

/** One member's intent to buy one pack, made when they click "Buy with card". */
export interface CheckoutRequest {
  readonly pack: Pack;
  readonly userId: UserId;
  readonly guildId: GuildId;
  /** Where the payment page sends the member back to (the channel they clicked in). */
  readonly returnUrl: string;
  /** Makes a retried create return the same session instead of a second one (the interaction id). */
  readonly idempotencyKey: string;
}

export interface CheckoutSession {
  readonly id: string;
  /** The hosted payment page. */
  readonly url: string;
}

/** The payment provider could not make a session (down, refused the key, timed out). */
export interface CheckoutUnavailable {
  readonly code: 'checkout_unavailable';
  readonly detail: string;
}

/** Card payments for packs (Stripe Checkout in production). */
export interface Checkout {
  createSession(request: CheckoutRequest): Promise<Result<CheckoutSession, CheckoutUnavailable>>;
  /** The checkout that a payment (Stripe: payment intent) paid, or null if none of ours did. Throws when the provider cannot be asked. */
  sessionForPayment(paymentId: string): Promise<CompletedCheckout | null>;
}

/** A finished checkout as the payment provider reported it (signature already verified). */
export interface CompletedCheckout {
  readonly sessionId: string;
  /** Only a paid session grants anything (an async payment method may complete unpaid). */
  readonly paid: boolean;
  /** What we put on the session when we made it: userId, guildId, packId, credits. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly clientReferenceId: string | null;
  /**
   * What was paid, in the smallest unit (cents) of the currency the session was made in: where
   * the provider showed the buyer another currency (Stripe's Adaptive Pricing), the amount before
   * that conversion.
   */
  readonly amountTotal: number | null;
  readonly currency: string | null;
}

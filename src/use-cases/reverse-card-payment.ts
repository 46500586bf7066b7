import type { LedgerError } from '../domain/credits/ledger-errors.js';
import { parseCheckoutMetadata, type CheckoutMetadataProblem } from '../domain/payments/checkout-metadata.js';
import { refundTarget, reversalKey } from '../domain/payments/payment-reversal.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Checkout } from './ports/checkout.js';
import type { Ledger, UserId } from './ports/ledger.js';
import type { PurchaseNotifier, ReversalNotice } from './ports/purchase-notifier.js';
import { checkoutGrantKey } from './redeem-checkout-session.js';
import { notifyTopupChange, type PurchaseNoticeStatus } from './notify-purchase.js';

/** A reversal of a card payment as the payment provider reported it (signature already verified). */
export type CardPaymentReversal =
  | { readonly kind: 'refunded'; readonly chargeId: string; readonly paymentId: string; readonly paidCents: number; readonly refundedCents: number }
  | { readonly kind: 'disputed'; readonly disputeId: string; readonly paymentId: string }
  | { readonly kind: 'dispute_won'; readonly disputeId: string };

export interface ReverseCardPaymentOptions {
  readonly ledger: Ledger;
  readonly checkout: Checkout;
  readonly notifier: PurchaseNotifier;
  readonly reversal: CardPaymentReversal;
}

export interface ReversedCardPayment {
  readonly userId: UserId;
  /** Credits taken back (given back for `dispute_won`) by this call; 0 for a replay or nothing due. */
  readonly credits: number;
  /** Of what the payment should take back, what the member had spent or running jobs hold (taken if they are refunded). */
  readonly alreadySpent: number;
  readonly notice: PurchaseNoticeStatus;
}

export type ReverseCardPaymentError =
  | { readonly code: 'not_our_payment'; readonly paymentId: string }
  | { readonly code: 'nothing_to_restore'; readonly disputeId: string }
  | CheckoutMetadataProblem
  | LedgerError
  | { readonly code: 'purchase_not_found'; readonly purchaseKey: string };

/**
 * Takes back the credits of a refunded or disputed card payment (in proportion to a partial
 * refund; all of them for a dispute), only from what is left of that purchase; gives back what a
 * dispute took once the seller wins it. Each is keyed in the ledger, so a replayed or concurrent
 * webhook changes nothing more. The member is told, only about a change that happened now.
 */
export async function reverseCardPayment(options: ReverseCardPaymentOptions): Promise<Result<ReversedCardPayment, ReverseCardPaymentError>> {
  const { reversal, ledger } = options;
  if (reversal.kind === 'dispute_won') {
    const restored = await ledger.restoreReversal({
      reversalKey: reversalKey.dispute(reversal.disputeId),
      key: reversalKey.disputeWon(reversal.disputeId),
      actorId: 'stripe',
      reason: `dispute ${reversal.disputeId} won: credits given back`,
    });
    if (!restored.ok) return restored;
    if (restored.value === null) return err({ code: 'nothing_to_restore', disputeId: reversal.disputeId });
    const { userId, amount, replayed } = restored.value;
    if (replayed) return ok({ userId, credits: 0, alreadySpent: 0, notice: { status: 'not_needed' } });
    return ok({ userId, credits: amount, alreadySpent: 0, notice: await tell(options, { userId, change: 'dispute_won', credits: amount, alreadySpent: 0 }) });
  }

  const session = await options.checkout.sessionForPayment(reversal.paymentId);
  if (session === null) return err({ code: 'not_our_payment', paymentId: reversal.paymentId });
  const metadata = parseCheckoutMetadata(session.metadata);
  if (!metadata.ok) return metadata;
  const { credits } = metadata.value;
  const [key, target, reason] =
    reversal.kind === 'refunded'
      ? [
          reversalKey.refund(reversal.chargeId, reversal.refundedCents),
          refundTarget(credits, reversal.paidCents, reversal.refundedCents),
          `card payment refunded (charge ${reversal.chargeId})`,
        ]
      : [reversalKey.dispute(reversal.disputeId), credits, `card payment disputed (dispute ${reversal.disputeId})`];
  const reversed = await ledger.reversePurchase({ key, purchaseKey: checkoutGrantKey(session.sessionId), targetCredits: target, actorId: 'stripe', reason });
  if (!reversed.ok) return reversed;
  const { userId, taken, shortfall, outcome } = reversed.value;
  if (outcome !== 'reversed') return ok({ userId, credits: 0, alreadySpent: shortfall, notice: { status: 'not_needed' } });
  return ok({
    userId,
    credits: taken,
    alreadySpent: shortfall,
    notice: await tell(options, { userId, change: reversal.kind, credits: taken, alreadySpent: shortfall }),
  });
}

const tell = (options: ReverseCardPaymentOptions, notice: Omit<ReversalNotice, 'topupBalance'>): Promise<PurchaseNoticeStatus> =>
  notifyTopupChange(options.ledger, notice.userId, (topupBalance) => options.notifier.purchaseReversed({ ...notice, topupBalance }));

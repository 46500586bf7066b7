// How much of a purchase a reversed card payment takes back. Stripe reports refunds cumulatively
// (`amount_refunded` of the charge so far), so the answer is a total for the purchase, not a delta:
// the ledger takes whatever is still missing towards it, which makes replays and out-of-order
// events harmless.

/**
 * Credits to have taken back once `refundedCents` of `paidCents` are refunded: in proportion,
 * rounded down (a member keeps a credit rather than lose one to rounding); all of them for a
 * full refund or a payment of unknown amount.
 */
export function refundTarget(credits: number, paidCents: number, refundedCents: number): number {
  if (!(paidCents > 0) || refundedCents >= paidCents) return credits;
  if (!(refundedCents > 0)) return 0;
  return Math.floor((credits * refundedCents) / paidCents);
}

/** The idempotency keys of reversals, one per distinct state of the payment. */
export const reversalKey = {
  /** One per refunded total of a charge: a replay of the same state takes nothing again. */
  refund: (chargeId: string, refundedCents: number) => `refund:${chargeId}:${refundedCents}`,
  dispute: (disputeId: string) => `dispute:${disputeId}`,
  disputeWon: (disputeId: string) => `dispute-won:${disputeId}`,
};

import type { UserId } from './ledger.js';

/** A card plan's paid period arrived in the member's balance. */
export interface PlanCreditsNotice {
  readonly userId: UserId;
  /** The tier's label as the card shows it (Pro). */
  readonly tierLabel: string;
  /** Credits this payment added (an upgrade: only the difference). */
  readonly credits: number;
  /** When these credits expire (the next renewal, later with the tier's rollover). */
  readonly expiresAt: Date;
}

/** A card plan ended by a refund: the tier is over, and what is unspent of the refunded share was taken back. */
export interface PlanRefundNotice {
  readonly userId: UserId;
  readonly tierLabel: string;
  readonly credits: number;
  /** Of the share to take back, what the member had spent or running jobs hold (taken if those jobs fail). */
  readonly alreadySpent: number;
}

/** Tells a member about their card plan (a Discord DM in production). May throw: DMs can be closed. */
export interface PlanNotifier {
  planCreditsGranted(notice: PlanCreditsNotice): Promise<void>;
  planRefunded(notice: PlanRefundNotice): Promise<void>;
}

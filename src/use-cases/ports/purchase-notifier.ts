import type { Pack } from '../../domain/pricing/price-card-schema.js';
import type { UserId } from './ledger.js';

export interface PurchaseNotice {
  readonly userId: UserId;
  readonly pack: Pack;
  readonly credits: number;
  /** How it was paid, for the message ("card"). */
  readonly paidWith: 'card';
}

/** Tells a member their purchase arrived (a Discord DM in production). May throw: DMs can be closed. */
export interface PurchaseNotifier {
  purchaseGranted(notice: PurchaseNotice): Promise<void>;
}

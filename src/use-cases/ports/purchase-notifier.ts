import type { Pack } from '../../domain/pricing/price-card-schema.js';
import type { UserId } from './ledger.js';

export interface PurchaseNotice {
  readonly userId: UserId;
  readonly pack: Pack;
  /** Credits this purchase added. */
  readonly credits: number;
  /** The member's top-up credits after the purchase (global: the same in every guild). */
  readonly topupBalance: number;
  /** How it was paid, for the message: a card (Stripe Checkout) or Discord's own store (an entitlement). */
  readonly paidWith: 'card' | 'discord';
}

/** Tells a member their purchase arrived (a Discord DM in production). May throw: DMs can be closed. */
export interface PurchaseNotifier {
  purchaseGranted(notice: PurchaseNotice): Promise<void>;
}

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

/** Credits taken back because the payment for them was reversed, or given back after a won chargeback. */
export interface ReversalNotice {
  readonly userId: UserId;
  /** A card payment refunded, disputed or its dispute won; or a Discord purchase Discord refunded or withdrew. */
  readonly change: 'refunded' | 'disputed' | 'dispute_won' | 'discord_withdrawn';
  /** The pack bought, where it is still on the card (named in the message). */
  readonly packName?: string;
  /** Credits taken back (or, for `dispute_won`, given back) now. */
  readonly credits: number;
  /**
   * Credits of the reversed payment the member had already used: spent ones are not taken from
   * anything else; ones held by running jobs are taken back if the jobs are refunded.
   */
  readonly alreadySpent: number;
  /** The member's top-up credits after the change. */
  readonly topupBalance: number;
}

/** Tells a member about their purchases (a Discord DM in production). May throw: DMs can be closed. */
export interface PurchaseNotifier {
  purchaseGranted(notice: PurchaseNotice): Promise<void>;
  purchaseReversed(notice: ReversalNotice): Promise<void>;
}

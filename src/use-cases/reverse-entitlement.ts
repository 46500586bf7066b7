import type { LedgerError } from '../domain/credits/ledger-errors.js';
import { packForSku } from '../domain/pricing/packs.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { ok, type Result } from '../domain/result.js';
import { notifyTopupChange, type PurchaseNoticeStatus } from './notify-purchase.js';
import type { Ledger, PurchaseReversal, UserId } from './ports/ledger.js';
import type { PurchaseNotifier } from './ports/purchase-notifier.js';
import { entitlementGrantKey } from './redeem-entitlement.js';

/** A Discord purchase Discord took back: deleted (a refund, its staff) or ended before its time. */
export interface WithdrawnEntitlement {
  readonly id: string;
  readonly skuId: string;
  readonly why: 'deleted' | 'ended';
}

export interface ReverseEntitlementOptions {
  readonly ledger: Ledger;
  /** Names the pack in the member's message, where its SKU is still on the card. */
  readonly card: PriceCard;
  readonly notifier: PurchaseNotifier;
  readonly entitlement: WithdrawnEntitlement;
}

export interface ReversedEntitlement {
  readonly userId: UserId;
  /** `reversed` now, `already` (this entitlement's withdrawal ran before), or `nothing_due`. */
  readonly outcome: PurchaseReversal['outcome'];
  /** Credits taken back by this call; 0 for a replay. */
  readonly credits: number;
  /** Of the purchase, what the member had already spent (never taken from other credits). */
  readonly alreadySpent: number;
  readonly notice: PurchaseNoticeStatus;
}

export type ReverseEntitlementError = LedgerError | { readonly code: 'purchase_not_found'; readonly purchaseKey: string };

/** One key per entitlement: a deletion, a replay of it and an update saying the same take back once. */
export const entitlementWithdrawalKey = (entitlementId: string): string => `discord-withdrawn:${entitlementId}`;

/**
 * Takes back the pack a withdrawn Discord purchase granted, as a refunded card payment is: the
 * whole purchase (Discord refunds whole purchases and reports no amount), from what is left of its
 * own lot only, once however often Discord says so; then tells the member, only about a change
 * made now. A purchase that granted nothing here (an unknown SKU, a test purchase not granted)
 * is `purchase_not_found` and changes nothing.
 */
export async function reverseEntitlement(options: ReverseEntitlementOptions): Promise<Result<ReversedEntitlement, ReverseEntitlementError>> {
  const { entitlement } = options;
  const purchaseKey = entitlementGrantKey(entitlement.id);
  const reversed = await options.ledger.reversePurchase({
    key: entitlementWithdrawalKey(entitlement.id),
    purchaseKey,
    targetCredits: 'all',
    actorId: 'discord',
    reason: `Discord purchase ${entitlement.why === 'deleted' ? 'refunded or deleted' : 'ended'} (entitlement ${entitlement.id})`,
  });
  if (!reversed.ok) return reversed;
  const { userId, outcome, taken, shortfall } = reversed.value;
  if (outcome !== 'reversed') return ok({ userId, outcome, credits: 0, alreadySpent: shortfall, notice: { status: 'not_needed' } });
  const pack = packForSku(options.card, entitlement.skuId);
  const notice = await notifyTopupChange(options.ledger, userId, (topupBalance) =>
    options.notifier.purchaseReversed({
      userId,
      change: 'discord_withdrawn',
      credits: taken,
      alreadySpent: shortfall,
      topupBalance,
      ...(pack ? { packName: pack.label ?? pack.id } : {}),
    }),
  );
  return ok({ userId, outcome, credits: taken, alreadySpent: shortfall, notice });
}

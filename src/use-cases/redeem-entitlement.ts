import type { LedgerError } from '../domain/credits/ledger-errors.js';
import type { Pack } from '../domain/pricing/price-card-schema.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { packForSku } from '../domain/pricing/packs.js';
import { err, ok, type Result } from '../domain/result.js';
import { notifyPurchase, type PurchaseNoticeStatus } from './notify-purchase.js';
import type { Granted, Ledger } from './ports/ledger.js';
import type { PurchaseNotifier } from './ports/purchase-notifier.js';

export interface PurchasedEntitlement {
  readonly id: string;
  readonly skuId: string;
  readonly userId: string | null;
  /** Bought in the app's test mode (Discord's TEST_MODE_PURCHASE): no money changed hands. */
  readonly test: boolean;
  /** Discord deleted it (refunded or withdrawn): a late or replayed purchase event grants nothing. */
  readonly deleted: boolean;
}

export interface RedeemEntitlementOptions {
  readonly ledger: Ledger;
  readonly card: PriceCard;
  /** Tells the member their pack arrived (a DM), only for the grant that actually happened. */
  readonly notifier: PurchaseNotifier;
  readonly entitlement: PurchasedEntitlement;
  /** Tells Discord the consumable was used, so it can be bought again. */
  readonly consume: () => Promise<void>;
  /**
   * Whether test-mode purchases grant their pack (DISCORD_TEST_PURCHASES): anyone on the app's
   * team can make them for free, so only a staging bot should. @defaultValue false
   */
  readonly grantTestPurchases?: boolean;
}

export type RedeemError =
  | { readonly code: 'unknown_sku'; readonly skuId: string }
  | { readonly code: 'no_user' }
  | { readonly code: 'deleted' }
  | { readonly code: 'test_purchase' }
  | LedgerError;

/** The ledger key of a Discord purchase's grant; its withdrawal finds the purchase by it. */
export const entitlementGrantKey = (entitlementId: string): string => `discord-entitlement:${entitlementId}`;

export interface RedeemedEntitlement {
  readonly pack: Pack;
  readonly granted: Granted;
  /** `sent`, `failed` (with why), or `not_needed` for a replay: the member was told the first time. */
  readonly notice: PurchaseNoticeStatus;
}

/**
 * Grants the pack a Discord purchase paid for, once per entitlement id (a re-sent event or a
 * restart grants nothing more), tells the member, then consumes the entitlement. Granting comes
 * first: if consuming fails, the entitlement is still there at the next start and is redeemed
 * again — for nothing, and without a second message. Telling comes before consuming so that a
 * failed consume cannot leave a member credited but never told; a failed message changes nothing.
 * A test-mode purchase the operator does not allow grants nothing but is consumed all the same, so
 * it is not looked at again at every start.
 */
export async function redeemEntitlement(options: RedeemEntitlementOptions): Promise<Result<RedeemedEntitlement, RedeemError>> {
  const { entitlement } = options;
  const pack = packForSku(options.card, entitlement.skuId);
  if (!pack) return err({ code: 'unknown_sku', skuId: entitlement.skuId });
  if (!entitlement.userId) return err({ code: 'no_user' });
  if (entitlement.deleted) return err({ code: 'deleted' });
  if (entitlement.test && options.grantTestPurchases !== true) {
    await options.consume();
    return err({ code: 'test_purchase' });
  }
  const granted = await options.ledger.grant({
    key: entitlementGrantKey(entitlement.id),
    userId: entitlement.userId,
    guildId: null,
    kind: 'topup',
    amount: pack.credits,
    expiresAt: null,
    actorId: 'discord',
    reason: `bought ${pack.label ?? pack.id} (${entitlement.test ? 'test purchase, ' : ''}entitlement ${entitlement.id})`,
  });
  if (!granted.ok) return granted;
  const notice: PurchaseNoticeStatus = granted.value.replayed
    ? { status: 'not_needed' }
    : await notifyPurchase(options, { userId: entitlement.userId, pack, credits: granted.value.amount, paidWith: 'discord' });
  await options.consume();
  return ok({ pack, granted: granted.value, notice });
}

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
}

export interface RedeemEntitlementOptions {
  readonly ledger: Ledger;
  readonly card: PriceCard;
  /** Tells the member their pack arrived (a DM), only for the grant that actually happened. */
  readonly notifier: PurchaseNotifier;
  readonly entitlement: PurchasedEntitlement;
  /** Tells Discord the consumable was used, so it can be bought again. */
  readonly consume: () => Promise<void>;
}

export type RedeemError = { readonly code: 'unknown_sku'; readonly skuId: string } | { readonly code: 'no_user' } | LedgerError;

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
 */
export async function redeemEntitlement(options: RedeemEntitlementOptions): Promise<Result<RedeemedEntitlement, RedeemError>> {
  const { entitlement } = options;
  const pack = packForSku(options.card, entitlement.skuId);
  if (!pack) return err({ code: 'unknown_sku', skuId: entitlement.skuId });
  if (!entitlement.userId) return err({ code: 'no_user' });
  const granted = await options.ledger.grant({
    key: `discord-entitlement:${entitlement.id}`, userId: entitlement.userId, guildId: null, kind: 'topup',
    amount: pack.credits, expiresAt: null, actorId: 'discord', reason: `bought ${pack.label ?? pack.id} (entitlement ${entitlement.id})`,
  });
  if (!granted.ok) return granted;
  const notice: PurchaseNoticeStatus = granted.value.replayed
    ? { status: 'not_needed' }
    : await notifyPurchase(options, { userId: entitlement.userId, pack, credits: granted.value.amount, paidWith: 'discord' });
  await options.consume();
  return ok({ pack, granted: granted.value, notice });
}

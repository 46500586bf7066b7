import type { Ledger } from './ports/ledger.js';
import type { PurchaseNotice, PurchaseNotifier } from './ports/purchase-notifier.js';

/** Whether the member was told: `sent`, `failed` (with why), or `not_needed` for a replay (they were told the first time). */
export type PurchaseNoticeStatus = { readonly status: 'sent' | 'not_needed' } | { readonly status: 'failed'; readonly error: unknown };

/**
 * Tells a member about a change to their purchased credits, with their top-up balance after it.
 * Call it only for a change that happened (not a replay). It never throws: a closed DM or a
 * failed balance read is reported as `failed` and undoes or repeats nothing.
 */
export async function notifyTopupChange(
  ledger: Ledger,
  userId: PurchaseNotice['userId'],
  send: (topupBalance: number) => Promise<void>,
): Promise<PurchaseNoticeStatus> {
  try {
    await send(await ledger.topupBalance(userId));
    return { status: 'sent' };
  } catch (error) {
    return { status: 'failed', error };
  }
}

/** Tells a member a purchase was granted: the pack, the credits it added and their top-up balance now. */
export const notifyPurchase = (
  options: { readonly ledger: Ledger; readonly notifier: PurchaseNotifier },
  notice: Omit<PurchaseNotice, 'topupBalance'>,
): Promise<PurchaseNoticeStatus> =>
  notifyTopupChange(options.ledger, notice.userId, (topupBalance) => options.notifier.purchaseGranted({ ...notice, topupBalance }));

import type { Ledger } from './ports/ledger.js';
import type { PurchaseNotice, PurchaseNotifier } from './ports/purchase-notifier.js';

/** Whether the member was told: `sent`, `failed` (with why), or `not_needed` for a replay (they were told the first time). */
export type PurchaseNoticeStatus = { readonly status: 'sent' | 'not_needed' } | { readonly status: 'failed'; readonly error: unknown };

/**
 * Tells a member a purchase was granted: the pack, the credits it added and their top-up balance
 * now. Call it only for a grant that happened (not a replay). It never throws: a closed DM or a
 * failed balance read is reported as `failed` and undoes or repeats nothing.
 */
export async function notifyPurchase(
  options: { readonly ledger: Ledger; readonly notifier: PurchaseNotifier },
  notice: Omit<PurchaseNotice, 'topupBalance'>,
): Promise<PurchaseNoticeStatus> {
  try {
    const topupBalance = await options.ledger.topupBalance(notice.userId);
    await options.notifier.purchaseGranted({ ...notice, topupBalance });
    return { status: 'sent' };
  } catch (error) {
    return { status: 'failed', error };
  }
}

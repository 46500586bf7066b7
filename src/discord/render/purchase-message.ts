import { formatUsd } from '../../domain/pricing/format-breakdown.js';
import type { PurchaseNotice, ReversalNotice } from '../../use-cases/adapter-contracts.js';

// The price is the card's for a card payment; Discord's store charges the SKU's own price (and
// currency), which we do not know, so a Discord purchase names only the pack.
const paid = ({ pack, paidWith }: PurchaseNotice): string =>
  paidWith === 'card'
    ? `Your payment for **${pack.label ?? pack.id}** (${formatUsd(pack.priceUsd)}) went through`
    : `Your Discord purchase of **${pack.label ?? pack.id}** went through`;

/** The DM a member gets when a bought pack lands in their balance. */
export const purchaseMessage = (notice: PurchaseNotice): string =>
  `Thank you! ${paid(notice)}: **${notice.credits} credits** are in your balance ` +
  `(top-up credits now: **${notice.topupBalance}**). Top-up credits never expire, work in every server with this bot, ` +
  'and are spent after your free and tier credits. See /balance.';

/**
 * The DM a member gets when a card payment is refunded or disputed, a dispute is settled in the
 * seller's favour, or Discord refunds or withdraws a purchase made in its store.
 */
export function reversalMessage(notice: ReversalNotice): string {
  const balance = `(top-up credits now: **${notice.topupBalance}**)`;
  if (notice.change === 'dispute_won') {
    return `The dispute about your card payment was settled in the seller's favour, so the **${notice.credits} credits** it took back are in your balance again ${balance}.`;
  }
  const why =
    notice.change === 'refunded'
      ? 'Your card payment was refunded'
      : notice.change === 'disputed'
        ? 'Your card payment was disputed with your bank'
        : `Discord refunded or withdrew your purchase${notice.packName ? ` of **${notice.packName}**` : ''}`;
  const spent =
    notice.alreadySpent > 0
      ? ` You had already used ${notice.alreadySpent} of them: what you spent stays spent, and what jobs still running hold is taken back if they are refunded.`
      : '';
  return `${why}, so **${notice.credits} credits** bought with it were taken back ${balance}.${spent} See /history.`;
}

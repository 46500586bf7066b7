import type { ConfirmRejection } from '../../use-cases/ports/job-credits.js';
import type { ConfirmedForMember } from '../confirm-quote.js';

/** Why a quote could not be confirmed, in the member's words. */
export const confirmRejectionText = (rejection: ConfirmRejection): string => {
  switch (rejection.code) {
    case 'not_quote_owner':
      return 'This is not your quote — run /imagine to get your own price.';
    case 'quote_expired':
      return 'This quote has expired. Run /imagine again for a fresh price.';
    case 'quote_cancelled':
      return 'This quote was cancelled; nothing was charged.';
    case 'quote_not_found':
      return 'That quote no longer exists. Run /imagine again.';
    case 'insufficient_credits':
      return `This needs **${rejection.needed}** credits and you have **${rejection.available}**. ` +
        'Try a smaller size, fewer images or a faster model — or see /topup.';
  }
};

export const lowBalanceText = (available: number): string => `Low balance: ${available} credit${available === 1 ? '' : 's'} left — /topup`;

/** "Confirmed: 4 credits held — starting. …", with the low-balance warning when it applies. */
export function confirmedText(confirmed: ConfirmedForMember, autoConfirmedUnder?: number): string {
  const lead = autoConfirmedUnder !== undefined
    ? `Auto-confirmed under your ${autoConfirmedUnder}-credit threshold (change it with /settings auto-confirm, 0 turns it off)`
    : confirmed.replayed ? 'Already confirmed' : 'Confirmed';
  const text = `${lead}: ${confirmed.price} credits held — ${confirmed.where}. Follow your job in this channel: its message shows the queue, the progress and then the images.`;
  return confirmed.lowBalance === null ? text : `${text}\n⚠️ ${lowBalanceText(confirmed.lowBalance)}`;
}

import type { ConfirmedForMember, ConfirmRejection } from '../../use-cases/confirm-quote.js';
import { queuePlace } from './job-message.js';

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
      return (
        `This needs **${rejection.needed}** credits and you have **${rejection.available}**. ` +
        'Try a smaller size, fewer images or a faster model — or see /topup.'
      );
  }
};

export const lowBalanceText = (available: number): string => `Low balance: ${available} credit${available === 1 ? '' : 's'} left — /topup`;

/** "Confirmed: 4 credits held — queued, next up. …", with the low-balance warning when it applies. */
export function confirmedText(confirmed: ConfirmedForMember): string {
  const lead =
    confirmed.autoConfirmedAtMost !== undefined
      ? `Auto-confirmed under your ${confirmed.autoConfirmedAtMost}-credit threshold (change it with /settings auto-confirm, 0 turns it off)`
      : confirmed.replayed
        ? 'Already confirmed'
        : 'Confirmed';
  const where = confirmed.ahead === null ? 'queued' : queuePlace(confirmed.ahead);
  const text = `${lead}: ${confirmed.price} credits held — ${where}. Follow your job in this channel: its message shows the queue, the progress and then the images.`;
  return confirmed.lowBalance === null ? text : `${text}\n⚠️ ${lowBalanceText(confirmed.lowBalance)}`;
}

import { time, TimestampStyles } from 'discord.js';
import type { Refills } from '../../domain/credits/refills.js';
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
    case 'insufficient_credits': {
      const short = `This needs **${rejection.needed}** credits and you have **${rejection.available}**.`;
      const refills = rejection.refills ? refillLines(rejection.refills) : [];
      return [short, ...refills, 'Or try a smaller size, fewer images or a faster model — or see /topup.'].join('\n');
    }
    case 'relax_busy':
      return 'You already have a Relax job queued or running, and Relax takes one job per member at a time. Wait for it to finish, or choose the Fast lane. Nothing was charged.';
    case 'cap_reached': {
      const period = rejection.period === 'day' ? 'daily' : 'monthly';
      const resets = rejection.period === 'day' ? 'at 00:00 UTC' : 'on the 1st of the month (UTC)';
      const whose =
        rejection.source === 'member'
          ? `your ${period} cap of **${rejection.limit}** credits (set in /settings)`
          : `the ${period} cap of **${rejection.limit}** credits this server's admins set for you`;
      return `This costs **${rejection.price}** credits, which would pass ${whose}: you have spent or have running **${rejection.spent}** ${rejection.period === 'day' ? 'today' : 'this month'}. It resets ${resets}. Nothing was charged.`;
    }
    case 'budget_reached':
      return "This server has used its monthly image budget, so new jobs — Relax included — are paused until the 1st of the month (UTC). The server's admins have been told. Nothing was charged.";
  }
};

/** When more credits come without paying: Discord timestamps, shown in each member's own time zone. */
function refillLines(refills: Refills): string[] {
  const lines: string[] = [];
  if (refills.free) lines.push(`Your next **${refills.free.amount}** free credits come ${time(refills.free.at, TimestampStyles.RelativeTime)}.`);
  if (refills.tier)
    lines.push(`Your ${refills.tier.label} allowance of **${refills.tier.amount}** renews ${time(refills.tier.at, TimestampStyles.RelativeTime)}.`);
  if (refills.better) lines.push(`The ${refills.better.label} tier gives **${refills.better.allowance}** credits a ${periodWord[refills.better.period]}.`);
  return lines;
}

const periodWord = { daily: 'day', weekly: 'week', monthly: 'month' } as const;

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
  const held = confirmed.price === 0 ? 'free, nothing held' : `${confirmed.price} credits held`;
  const text = `${lead}: ${held} — ${where}. Follow your job in this channel: its message shows the queue, the progress and then the images.`;
  return confirmed.lowBalance === null ? text : `${text}\n⚠️ ${lowBalanceText(confirmed.lowBalance)}`;
}

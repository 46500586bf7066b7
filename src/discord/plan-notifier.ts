// Tells a member about their card plan by DM over Discord's REST API (as purchase-notifier.ts does
// for packs): REST, so the payment webhook can tell members from any process.
import { REST, Routes, type APIDMChannel } from 'discord.js';
import type { PlanCreditsNotice, PlanNotifier, PlanRefundNotice } from '../use-cases/adapter-contracts.js';
import type { DirectMessageOptions } from './purchase-notifier.js';

const day = (date: Date): string => `<t:${Math.floor(date.getTime() / 1000)}:D>`;

/** The DM a member gets when a paid period of their card plan lands in their balance. */
export const planCreditsMessage = (notice: PlanCreditsNotice): string =>
  `Thank you! Your **${notice.tierLabel}** plan payment went through: **${notice.credits} credits** are in your balance, ` +
  `in every server with this bot, until ${day(notice.expiresAt)}. Your plan renews on its own; cancel any time with /subscribe. See /balance.`;

/** The DM a member gets when their card plan's payment is refunded. */
export function planRefundMessage(notice: PlanRefundNotice): string {
  const spent =
    notice.alreadySpent > 0
      ? ` You had already used ${notice.alreadySpent} of them: what you spent stays spent, and what jobs still running hold is taken back if they are refunded.`
      : '';
  return `Your **${notice.tierLabel}** plan payment was refunded, so the plan has ended and **${notice.credits} credits** from it were taken back.${spent} See /history.`;
}

export function createDiscordPlanNotifier(options: DirectMessageOptions): PlanNotifier {
  const rest = new REST({ version: '10', ...(options.apiUrl ? { api: options.apiUrl } : {}) }).setToken(options.token);
  const directMessage = async (userId: string, content: string): Promise<void> => {
    const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIDMChannel;
    await rest.post(Routes.channelMessages(channel.id), { body: { content, allowed_mentions: { parse: [] } } });
  };
  return {
    planCreditsGranted: (notice) => directMessage(notice.userId, planCreditsMessage(notice)),
    planRefunded: (notice) => directMessage(notice.userId, planRefundMessage(notice)),
  };
}

// Tells a member their purchase arrived, by DM over Discord's REST API. REST (not the gateway
// client) so the payment webhook can tell members from any process and tests can point it anywhere.
import { REST, Routes, type APIDMChannel } from 'discord.js';
import type { PurchaseNotifier } from '../use-cases/adapter-contracts.js';
import { purchaseMessage, reversalMessage } from './render/purchase-message.js';

export interface DirectMessageOptions {
  readonly token: string;
  /** REST base URL (`DISCORD_API_URL`). @defaultValue Discord's */
  readonly apiUrl?: string | undefined;
}

export function createDiscordPurchaseNotifier(options: DirectMessageOptions): PurchaseNotifier {
  const rest = new REST({ version: '10', ...(options.apiUrl ? { api: options.apiUrl } : {}) }).setToken(options.token);
  const directMessage = async (userId: string, content: string): Promise<void> => {
    // Opening a DM channel is idempotent on Discord's side: the same user always gets the same channel.
    const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIDMChannel;
    await rest.post(Routes.channelMessages(channel.id), { body: { content, allowed_mentions: { parse: [] } } });
  };
  return {
    purchaseGranted: (notice) => directMessage(notice.userId, purchaseMessage(notice)),
    purchaseReversed: (notice) => directMessage(notice.userId, reversalMessage(notice)),
  };
}

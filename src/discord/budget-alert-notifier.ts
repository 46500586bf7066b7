// Budget alerts over the bot's REST client: in the channel the server's admins chose, or by DM to
// the server's owner (from the gateway's guild cache, else fetched). Each alert carries a nonce
// made from its key with enforce_nonce, so Discord drops a repeat sent within minutes — a retry
// after a lost answer does not post the alert twice.
import { createHash } from 'node:crypto';
import { Routes, type APIDMChannel, type Client } from 'discord.js';
import type { BudgetAlertNotifier } from '../use-cases/adapter-contracts.js';
import { budgetAlertText } from './render/budget-alert-message.js';

/** Discord's nonces hold at most 25 characters. */
const nonceOf = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 25);

export function createBudgetAlertNotifier(client: Client): BudgetAlertNotifier {
  const post = (channelId: string, content: string, nonce?: string) =>
    client.rest.post(Routes.channelMessages(channelId), {
      body: { content, allowed_mentions: { parse: [] }, ...(nonce ? { nonce, enforce_nonce: true } : {}) },
    });
  return {
    async send(alert, channelId) {
      const guild = client.guilds.cache.get(alert.guildId) ?? (await client.guilds.fetch(alert.guildId));
      const nonce = nonceOf(`budget:${alert.guildId}:${alert.month}:${alert.threshold}`);
      if (channelId !== null) {
        await post(channelId, budgetAlertText(alert), nonce);
        return;
      }
      const dm = (await client.rest.post(Routes.userChannels(), { body: { recipient_id: guild.ownerId } })) as APIDMChannel;
      await post(dm.id, budgetAlertText(alert, guild.name), nonce);
    },
    async announceAlertChannel(channelId, guildId) {
      // Asked of Discord, not the cache: discord.js files an option's resolved channel under the
      // interaction's server, so only Discord's own answer says whose channel it is.
      const channel = (await client.rest.get(Routes.channel(channelId))) as { guild_id?: string };
      if (channel.guild_id !== guildId) return 'not_in_guild';
      await post(channelId, 'Budget alerts for this server (80% and 100% of its monthly image budget) will be posted here.');
      return 'announced';
    },
  };
}

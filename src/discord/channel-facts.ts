import type { BaseInteraction } from 'discord.js';

/**
 * What the guild config needs to know about the channel an interaction came from: its parent
 * (a thread under an allowed channel is allowed) and whether Discord marks it age-restricted
 * (threads inherit their parent's flag). Read from the gateway's channel cache, which the Guilds
 * intent keeps current; an unknown channel counts as not age-restricted, the safe answer.
 */
export function channelFacts(interaction: BaseInteraction): { parentChannelId: string | null; channelAgeRestricted: boolean } {
  const channel = interaction.channel;
  if (channel === null || channel.isDMBased()) return { parentChannelId: null, channelAgeRestricted: false };
  if (channel.isThread()) return { parentChannelId: channel.parentId, channelAgeRestricted: channel.parent !== null && 'nsfw' in channel.parent && channel.parent.nsfw };
  return { parentChannelId: channel.parentId, channelAgeRestricted: 'nsfw' in channel && channel.nsfw };
}

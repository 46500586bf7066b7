import type { BaseInteraction } from 'discord.js';
import type { QuotingMember } from '../use-cases/quote-generation.js';
import { memberRoleIds } from './handler-context.js';

/**
 * What the guild config needs to know about the channel an interaction came from: its parent
 * (a thread under an allowed channel is allowed) and whether Discord marks it age-restricted
 * (threads inherit their parent's flag). Read from the gateway's channel cache, which the Guilds
 * intent keeps current; an unknown channel counts as not age-restricted, the safe answer.
 */
export function channelFacts(interaction: BaseInteraction): { parentChannelId: string | null; channelAgeRestricted: boolean } {
  const channel = interaction.channel;
  if (channel === null || channel.isDMBased()) return { parentChannelId: null, channelAgeRestricted: false };
  if (channel.isThread())
    return { parentChannelId: channel.parentId, channelAgeRestricted: channel.parent !== null && 'nsfw' in channel.parent && channel.parent.nsfw };
  return { parentChannelId: channel.parentId, channelAgeRestricted: 'nsfw' in channel && channel.nsfw };
}

/** The member asking for a quote, and where: their roles decide the tier, the channel what the guild allows there. */
export const quotingMemberOf = (interaction: BaseInteraction<'cached' | 'raw'> & { readonly channelId: string }): QuotingMember => ({
  userId: interaction.user.id,
  guildId: interaction.guildId,
  channelId: interaction.channelId,
  roleIds: memberRoleIds(interaction.member),
  ...channelFacts(interaction),
});

import { type ChatInputCommandInteraction } from 'discord.js';
import type { GuildConfigChange, NsfwPolicy } from '../../domain/guild-config.js';
import type { HandlerContext } from '../handler-context.js';
import { describeConfigChange, renderGuildConfig } from '../render/guild-config-reply.js';

type AdminInteraction = ChatInputCommandInteraction<'cached' | 'raw'>;

/** The change a subcommand asks for, from its options (the domain validates the values). */
function changeFrom(interaction: AdminInteraction): GuildConfigChange | null {
  const options = interaction.options;
  switch (options.getSubcommand()) {
    case 'free-daily':
      return { kind: 'free-daily', amount: options.getInteger('amount') };
    case 'channel-allow':
      return { kind: 'channel-allow', channelId: options.getChannel('channel', true).id };
    case 'channel-disallow':
      return { kind: 'channel-disallow', channelId: options.getChannel('channel', true).id };
    case 'channels-clear':
      return { kind: 'channels-clear' };
    case 'job-limit':
      return { kind: 'job-limit', count: options.getInteger('count') };
    case 'ban-word':
      return { kind: 'ban-word', word: options.getString('word', true) };
    case 'unban-word':
      return { kind: 'unban-word', word: options.getString('word', true) };
    case 'ban-pattern':
      return { kind: 'ban-pattern', pattern: options.getString('regex', true) };
    case 'unban-pattern':
      return { kind: 'unban-pattern', pattern: options.getString('regex', true) };
    case 'nsfw':
      return { kind: 'nsfw', mode: options.getString('mode', true) as NsfwPolicy };
    case 'spoiler':
      return { kind: 'spoiler', on: options.getBoolean('on', true) };
    default:
      return null;
  }
}

/**
 * `/admin config …`: shows or changes this guild's settings. Reached only through `handleAdmin`,
 * which has checked Manage Server at run time; every change is validated, then written with its
 * audit entry (who, old → new, the reason given). A refused change writes nothing.
 */
export async function handleAdminConfig(interaction: AdminInteraction, ctx: HandlerContext): Promise<void> {
  if (interaction.options.getSubcommand() === 'show') return showConfig(interaction, ctx);
  const reply = (content: string) => interaction.editReply({ content, allowedMentions: { parse: [] } });
  const change = changeFrom(interaction);
  if (change === null) {
    await reply('That is not a setting I know.');
    return;
  }
  const changed = await ctx.useCases.changeGuildConfig({
    guildId: interaction.guildId,
    actorId: interaction.user.id,
    change,
    reason: interaction.options.getString('reason') ?? undefined,
  });
  if (!changed.ok) {
    const error = changed.error;
    await reply(
      error.code === 'over_free_daily_ceiling'
        ? `Nothing changed: servers may give at most **${error.ceiling}** free credits a day on this bot (its operators set that, with GUILD_FREE_DAILY_MAX). You can set anything from 0 to ${error.ceiling}.`
        : `Nothing changed: ${error.message}`,
    );
    return;
  }
  const { before, after, defaults } = changed.value;
  await reply(describeConfigChange(change, before, after, defaults));
}

async function showConfig(interaction: AdminInteraction, ctx: HandlerContext): Promise<void> {
  const { config, defaults } = await ctx.useCases.showGuildConfig({ guildId: interaction.guildId });
  await interaction.editReply({ embeds: [renderGuildConfig(config, defaults)], allowedMentions: { parse: [] } });
}

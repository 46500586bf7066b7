import { type ChatInputCommandInteraction } from 'discord.js';
import { freeDailyCeiling } from '../../domain/admin/grant-policy.js';
import type { GuildConfigChange, NsfwPolicy } from '../../domain/guild-config.js';
import type { BotDeps } from '../bot-deps.js';
import { describeConfigChange, renderGuildConfig, type ConfigDefaults } from '../render/guild-config-reply.js';

type AdminInteraction = ChatInputCommandInteraction<'cached' | 'raw'>;

/** The change a subcommand asks for, from its options (the domain validates the values). */
function changeFrom(interaction: AdminInteraction): GuildConfigChange | null {
  const options = interaction.options;
  switch (options.getSubcommand()) {
    case 'free-daily': return { kind: 'free-daily', amount: options.getInteger('amount') };
    case 'channel-allow': return { kind: 'channel-allow', channelId: options.getChannel('channel', true).id };
    case 'channel-disallow': return { kind: 'channel-disallow', channelId: options.getChannel('channel', true).id };
    case 'channels-clear': return { kind: 'channels-clear' };
    case 'job-limit': return { kind: 'job-limit', count: options.getInteger('count') };
    case 'ban-word': return { kind: 'ban-word', word: options.getString('word', true) };
    case 'unban-word': return { kind: 'unban-word', word: options.getString('word', true) };
    case 'ban-pattern': return { kind: 'ban-pattern', pattern: options.getString('regex', true) };
    case 'unban-pattern': return { kind: 'unban-pattern', pattern: options.getString('regex', true) };
    case 'nsfw': return { kind: 'nsfw', mode: options.getString('mode', true) as NsfwPolicy };
    case 'spoiler': return { kind: 'spoiler', on: options.getBoolean('on', true) };
    default: return null;
  }
}

/**
 * `/admin config …`: shows or changes this guild's settings. Reached only through `handleAdmin`,
 * which has checked Manage Server at run time; every change is validated, then written with its
 * audit entry (who, old → new, the reason given). A refused change writes nothing.
 */
export async function handleAdminConfig(interaction: AdminInteraction, deps: BotDeps): Promise<void> {
  const defaults: ConfigDefaults = { freeDailyCredits: deps.card.freeDailyCredits, operatorWordCount: deps.operatorBannedWords?.length ?? 0 };
  const reply = (content: string) => interaction.editReply({ content, allowedMentions: { parse: [] } });
  if (interaction.options.getSubcommand() === 'show') {
    const config = await deps.guildSettings.config(interaction.guildId);
    await interaction.editReply({ embeds: [renderGuildConfig(config, defaults)], allowedMentions: { parse: [] } });
    return;
  }
  const change = changeFrom(interaction);
  if (change === null) {
    await reply('That is not a setting I know.');
    return;
  }
  // Free credits cost the operator money: above the card's amount only where the operator allows.
  const ceiling = freeDailyCeiling(deps.grantPolicy, deps.card);
  if (change.kind === 'free-daily' && change.amount !== null && change.amount > ceiling) {
    await reply(`Nothing changed: servers may give at most **${ceiling}** free credits a day on this bot (its operators set that, with GUILD_FREE_DAILY_MAX). You can set anything from 0 to ${ceiling}.`);
    return;
  }
  const reason = interaction.options.getString('reason') ?? undefined;
  const updated = await deps.guildSettings.updateConfig(interaction.guildId, change, interaction.user.id, reason);
  if (!updated.ok) {
    await reply(`Nothing changed: ${updated.error.message}`);
    return;
  }
  await reply(describeConfigChange(change, updated.value.before, updated.value.after, defaults));
}

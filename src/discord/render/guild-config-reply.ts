import { EmbedBuilder, time, TimestampStyles } from 'discord.js';
import { activePatternSteps, bannedPatternStatuses, maxPatternSteps } from '../../domain/banned-patterns.js';
import type { GuildConfig, GuildConfigChange } from '../../domain/guild-config.js';
import type { GuildConfigDefaults as ConfigDefaults } from '../../use-cases/show-guild-config.js';

// Admin-entered words and patterns are shown in code spans, so markdown in them cannot format or
// mention anything; a backtick inside would end the span, so it is swapped for a look-alike.
const code = (text: string) => `\`${text.replaceAll('`', 'ˋ')}\``;
const clip = (text: string, max = 1024) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const channels = (ids: readonly string[]) => (ids.length === 0 ? 'everywhere' : ids.map((id) => `<#${id}>`).join(', '));
const nsfwLabel = { blocked: 'blocked everywhere (safety filter on)', 'age-restricted-channels': 'allowed in age-restricted channels only' } as const;

/** `/admin config show`. */
export function renderGuildConfig(config: GuildConfig, defaults: ConfigDefaults): EmbedBuilder {
  // A pattern stored before patterns ran on RE2 may be one RE2 refuses: it is skipped, and says so.
  const statuses = bannedPatternStatuses(config.bannedPatterns);
  const patterns = statuses
    .map((status, at) => `${at + 1}. ${code(status.pattern)}${status.active ? '' : ` — **inactive** (never checked): ${status.reason}; unban it`}`)
    .join('\n');
  const steps = statuses.length === 0 ? '' : `; ${activePatternSteps(statuses)} of ${maxPatternSteps} steps`;
  const embed = new EmbedBuilder()
    .setTitle('Server settings')
    .addFields(
      {
        name: 'Free daily credits',
        value: config.freeDailyCredits === null ? `${defaults.freeDailyCredits} (the bot’s default)` : `${config.freeDailyCredits}`,
        inline: true,
      },
      {
        name: 'Jobs at once per member',
        value: config.maxRunningJobsPerMember === null ? 'the tier’s limit' : `at most ${config.maxRunningJobsPerMember}`,
        inline: true,
      },
      { name: 'Spoiler results', value: config.spoilerResults ? 'on' : 'off', inline: true },
      { name: 'Image channels', value: clip(channels(config.allowedChannelIds)) },
      { name: 'NSFW', value: nsfwLabel[config.nsfw] },
      { name: `Banned words (${config.bannedWords.length})`, value: clip(config.bannedWords.map(code).join(', ') || 'none') },
      { name: `Banned patterns (${config.bannedPatterns.length}${steps})`, value: clip(patterns || 'none') },
    )
    .setFooter({ text: `Prompts are also checked against ${defaults.operatorWordCount} word(s) the bot’s operator bans everywhere.` });
  if (config.updatedBy !== null && config.updatedAt !== null) {
    embed.setDescription(`Last changed by <@${config.updatedBy}> ${time(config.updatedAt, TimestampStyles.RelativeTime)}. Every change is in the audit log.`);
  }
  return embed;
}

/** The confirmation an admin reads after a change: what it was, what it is now. */
export function describeConfigChange(change: GuildConfigChange, before: GuildConfig, after: GuildConfig, defaults: ConfigDefaults): string {
  switch (change.kind) {
    case 'free-daily': {
      const label = (amount: number | null) => (amount === null ? `${defaults.freeDailyCredits} (default)` : `${amount}`);
      return (
        `Free daily credits: ${label(before.freeDailyCredits)} → **${label(after.freeDailyCredits)}**. ` +
        'Members who already received today’s free credits get the new amount from the next daily reset (00:00 UTC).'
      );
    }
    case 'channel-allow':
    case 'channel-disallow':
    case 'channels-clear':
      return `Images can now be made: **${channels(after.allowedChannelIds)}** (was: ${channels(before.allowedChannelIds)}).`;
    case 'job-limit': {
      const label = (count: number | null) => (count === null ? 'the tier’s limit' : `at most ${count}`);
      return `Jobs at once per member: ${label(before.maxRunningJobsPerMember)} → **${label(after.maxRunningJobsPerMember)}** (applies to jobs confirmed from now on).`;
    }
    case 'ban-word':
      return `Banned ${code(after.bannedWords.at(-1)!)}: prompts containing it as a whole word are refused before anything is charged (${after.bannedWords.length} banned).`;
    case 'unban-word':
      return `Unbanned ${code(before.bannedWords.find((word) => !after.bannedWords.includes(word))!)} (${after.bannedWords.length} banned).`;
    case 'ban-pattern':
      return (
        `Banned pattern #${after.bannedPatterns.length}: ${code(after.bannedPatterns.at(-1)!)}. Prompts matching it are refused before anything is charged ` +
        `(this server’s patterns use ${activePatternSteps(bannedPatternStatuses(after.bannedPatterns))} of ${maxPatternSteps} steps).`
      );
    case 'unban-pattern':
      return `Removed pattern ${code(before.bannedPatterns.find((pattern) => !after.bannedPatterns.includes(pattern))!)}; the others are renumbered (see /admin config show).`;
    case 'nsfw':
      return (
        `NSFW: ${nsfwLabel[before.nsfw]} → **${nsfwLabel[after.nsfw]}**.` +
        (after.nsfw === 'age-restricted-channels' ? ' The safety filter stays on in every channel Discord does not mark age-restricted.' : '')
      );
    case 'spoiler':
      return `Spoiler results: ${before.spoilerResults ? 'on' : 'off'} → **${after.spoilerResults ? 'on' : 'off'}** (jobs confirmed from now on).`;
  }
}

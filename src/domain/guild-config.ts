// A guild's own settings, changed by its admins with `/admin config`, and the rules for changing
// them. Pure: the store applies a change here, then writes the result and its audit entry.
import { validateBannedPattern } from './banned-patterns.js';
import { normalizeBannedWord } from './moderation.js';
import { err, ok, type Result } from './result.js';

export const NSFW_POLICIES = ['blocked', 'age-restricted-channels'] as const;
/**
 * `blocked`: the provider's safety checker stays on everywhere (the default).
 * `age-restricted-channels`: it may be turned off, but only for jobs asked for in channels
 * Discord marks age-restricted.
 */
export type NsfwPolicy = (typeof NSFW_POLICIES)[number];

export interface GuildConfig {
  readonly guildId: string;
  /** Free credits per member per day; null = the price card's default. */
  readonly freeDailyCredits: number | null;
  /** Channels where generating commands work; empty = everywhere. */
  readonly allowedChannelIds: readonly string[];
  /** Ceiling on a member's jobs running at once (tiers may allow fewer); null = the tier's limit. */
  readonly maxRunningJobsPerMember: number | null;
  /** Normalised (see moderation.ts) words or phrases refused in prompts. */
  readonly bannedWords: readonly string[];
  /** RE2 regular expressions (see banned-patterns.ts), validated when added; matched case-insensitively. */
  readonly bannedPatterns: readonly string[];
  readonly nsfw: NsfwPolicy;
  /** Results are posted as spoilers (blurred until clicked). */
  readonly spoilerResults: boolean;
  readonly updatedBy: string | null;
  readonly updatedAt: Date | null;
}

/** Limits that keep a config readable in `/admin config show` and cheap to check per prompt. */
export const guildConfigLimits = {
  freeDailyCredits: 10_000,
  maxRunningJobsPerMember: 50,
  allowedChannels: 25,
  bannedWords: 200,
  bannedWordLength: 50,
  bannedPatterns: 25,
} as const;

export const defaultGuildConfig = (guildId: string): GuildConfig => ({
  guildId,
  freeDailyCredits: null,
  allowedChannelIds: [],
  maxRunningJobsPerMember: null,
  bannedWords: [],
  bannedPatterns: [],
  nsfw: 'blocked',
  spoilerResults: false,
  updatedBy: null,
  updatedAt: null,
});

/** One admin change; each maps to one `/admin config` subcommand. */
export type GuildConfigChange =
  | { readonly kind: 'free-daily'; readonly amount: number | null }
  | { readonly kind: 'channel-allow'; readonly channelId: string }
  | { readonly kind: 'channel-disallow'; readonly channelId: string }
  | { readonly kind: 'channels-clear' }
  | { readonly kind: 'job-limit'; readonly count: number | null }
  | { readonly kind: 'ban-word'; readonly word: string }
  | { readonly kind: 'unban-word'; readonly word: string }
  | { readonly kind: 'ban-pattern'; readonly pattern: string }
  /** The exact pattern, or its number as `/admin config show` lists it (`2` or `#2`). */
  | { readonly kind: 'unban-pattern'; readonly pattern: string }
  | { readonly kind: 'nsfw'; readonly mode: NsfwPolicy }
  | { readonly kind: 'spoiler'; readonly on: boolean };

/** The stored setting a change touches: the audit entry's subject. */
export const settingOf = (change: GuildConfigChange): keyof GuildConfig => {
  switch (change.kind) {
    case 'free-daily':
      return 'freeDailyCredits';
    case 'channel-allow':
    case 'channel-disallow':
    case 'channels-clear':
      return 'allowedChannelIds';
    case 'job-limit':
      return 'maxRunningJobsPerMember';
    case 'ban-word':
    case 'unban-word':
      return 'bannedWords';
    case 'ban-pattern':
    case 'unban-pattern':
      return 'bannedPatterns';
    case 'nsfw':
      return 'nsfw';
    case 'spoiler':
      return 'spoilerResults';
  }
};

/** Why a change was refused, in words an admin understands; nothing was changed. */
export interface ConfigChangeRefusal {
  readonly code: 'invalid_config_change';
  readonly message: string;
}

const refuse = (message: string): Result<never, ConfigChangeRefusal> => err({ code: 'invalid_config_change', message });

const wholeNumberIn = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;

/** The config after `change`, or why the change is refused. Never throws on bad input. */
export function applyConfigChange(config: GuildConfig, change: GuildConfigChange): Result<GuildConfig, ConfigChangeRefusal> {
  switch (change.kind) {
    case 'free-daily':
      if (change.amount !== null && !wholeNumberIn(change.amount, 0, guildConfigLimits.freeDailyCredits)) {
        return refuse(`Free daily credits must be a whole number from 0 to ${guildConfigLimits.freeDailyCredits}.`);
      }
      return ok({ ...config, freeDailyCredits: change.amount });
    case 'job-limit':
      if (change.count !== null && !wholeNumberIn(change.count, 1, guildConfigLimits.maxRunningJobsPerMember)) {
        return refuse(`The job limit must be a whole number from 1 to ${guildConfigLimits.maxRunningJobsPerMember}.`);
      }
      return ok({ ...config, maxRunningJobsPerMember: change.count });
    case 'channel-allow':
      if (!/^\d{17,20}$/.test(change.channelId)) return refuse('That is not a channel of this server.');
      if (config.allowedChannelIds.includes(change.channelId)) return refuse(`<#${change.channelId}> is already allowed.`);
      if (config.allowedChannelIds.length >= guildConfigLimits.allowedChannels) {
        return refuse(`At most ${guildConfigLimits.allowedChannels} channels can be allowed; disallow one first.`);
      }
      return ok({ ...config, allowedChannelIds: [...config.allowedChannelIds, change.channelId] });
    case 'channel-disallow':
      if (!config.allowedChannelIds.includes(change.channelId)) return refuse(`<#${change.channelId}> is not on the allowed list.`);
      return ok({ ...config, allowedChannelIds: config.allowedChannelIds.filter((id) => id !== change.channelId) });
    case 'channels-clear':
      if (config.allowedChannelIds.length === 0) return refuse('No channel restriction is set: generating already works everywhere.');
      return ok({ ...config, allowedChannelIds: [] });
    case 'ban-word': {
      const word = normalizeBannedWord(change.word);
      if (word.length === 0) return refuse('Give a word or phrase to ban (letters or digits).');
      if (word.length > guildConfigLimits.bannedWordLength)
        return refuse(`A banned word or phrase may be at most ${guildConfigLimits.bannedWordLength} characters.`);
      if (config.bannedWords.includes(word)) return refuse(`“${word}” is already banned.`);
      if (config.bannedWords.length >= guildConfigLimits.bannedWords)
        return refuse(`At most ${guildConfigLimits.bannedWords} words can be banned; unban one first.`);
      return ok({ ...config, bannedWords: [...config.bannedWords, word] });
    }
    case 'unban-word': {
      const word = normalizeBannedWord(change.word);
      if (!config.bannedWords.includes(word)) return refuse(`“${word}” is not banned.`);
      return ok({ ...config, bannedWords: config.bannedWords.filter((banned) => banned !== word) });
    }
    case 'ban-pattern': {
      if (config.bannedPatterns.includes(change.pattern.trim())) return refuse('That pattern is already banned.');
      const checked = validateBannedPattern(change.pattern, config.bannedPatterns);
      if (!checked.ok) return refuse(checked.error);
      if (config.bannedPatterns.length >= guildConfigLimits.bannedPatterns)
        return refuse(`At most ${guildConfigLimits.bannedPatterns} patterns can be banned; unban one first.`);
      return ok({ ...config, bannedPatterns: [...config.bannedPatterns, checked.value] });
    }
    case 'unban-pattern': {
      const exact = config.bannedPatterns.indexOf(change.pattern.trim());
      const numbered = /^#?(\d{1,3})$/.exec(change.pattern.trim());
      const index = exact >= 0 ? exact : numbered ? Number(numbered[1]) - 1 : -1;
      if (index < 0 || index >= config.bannedPatterns.length)
        return refuse('No banned pattern is exactly that (give the pattern, or its number from `/admin config show`).');
      return ok({ ...config, bannedPatterns: config.bannedPatterns.filter((_, at) => at !== index) });
    }
    case 'nsfw':
      if (!(NSFW_POLICIES as readonly string[]).includes(change.mode)) return refuse(`The NSFW mode must be one of: ${NSFW_POLICIES.join(', ')}.`);
      return ok({ ...config, nsfw: change.mode });
    case 'spoiler':
      return ok({ ...config, spoilerResults: change.on });
  }
}

/** Whether a guild's config lets a job from this channel run with the safety checker off. */
export const allowsNsfwIn = (config: GuildConfig, channelIsAgeRestricted: boolean): boolean =>
  config.nsfw === 'age-restricted-channels' && channelIsAgeRestricted;

/** Whether generating commands may run in this channel (or in a thread under an allowed channel). */
export const channelAllowed = (config: GuildConfig, channelId: string, parentChannelId?: string | null): boolean =>
  config.allowedChannelIds.length === 0 ||
  config.allowedChannelIds.includes(channelId) ||
  (parentChannelId != null && config.allowedChannelIds.includes(parentChannelId));

/** The member's running-job ceiling: the tier's limit, lowered by the guild's when it set one. */
export const memberRunningLimit = (tierLimit: number, guildLimit: number | null | undefined): number =>
  guildLimit == null ? tierLimit : Math.min(tierLimit, guildLimit);

/** The guild's free daily amount as grantMemberAllowances takes it (absent = the card's default). */
export const freeDailyOf = (config: GuildConfig): { freeDailyCredits?: number } =>
  config.freeDailyCredits === null ? {} : { freeDailyCredits: config.freeDailyCredits };

/** The free credits a day this guild's members get: its own setting, else the card's. */
export const guildFreeDailyCredits = (config: GuildConfig, card: { readonly freeDailyCredits: number }): number =>
  config.freeDailyCredits ?? card.freeDailyCredits;

import type { GuildConfig } from '../domain/guild-config.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import type { GuildSettingsStore } from './ports/guild-settings.js';

/** What a guild's unset settings fall back to, shown beside them. */
export interface GuildConfigDefaults {
  /** The price card's free daily credits. */
  readonly freeDailyCredits: number;
  /** How many words the operator bans in every guild (BANNED_WORDS); the words are not shown. */
  readonly operatorWordCount: number;
}

export interface GuildConfigDeps {
  readonly guildSettings: GuildSettingsStore;
  readonly card: PriceCard;
  readonly operatorBannedWords?: readonly string[] | undefined;
}

export const guildConfigDefaults = (deps: GuildConfigDeps): GuildConfigDefaults => ({
  freeDailyCredits: deps.card.freeDailyCredits,
  operatorWordCount: deps.operatorBannedWords?.length ?? 0,
});

/** /admin config show: the guild's settings as they take effect, with the defaults they fall back to. */
export async function showGuildConfig(
  deps: GuildConfigDeps,
  input: { readonly guildId: string },
): Promise<{ readonly config: GuildConfig; readonly defaults: GuildConfigDefaults }> {
  return { config: await deps.guildSettings.config(input.guildId), defaults: guildConfigDefaults(deps) };
}

import { guildFreeDailyCredits } from '../domain/guild-config.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import type { GuildSettingsStore } from './ports/guild-settings.js';

/** /pricing: the whole price card, and the free daily credits this guild gives (its /admin config, or the card's). */
export async function showPricing(
  deps: { readonly card: PriceCard; readonly guildSettings: GuildSettingsStore },
  input: { readonly guildId: string },
): Promise<{ readonly card: PriceCard; readonly freeDailyCredits: number }> {
  const config = await deps.guildSettings.config(input.guildId);
  return { card: deps.card, freeDailyCredits: guildFreeDailyCredits(config, deps.card) };
}

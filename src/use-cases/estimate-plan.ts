import { freeDailyOf } from '../domain/guild-config.js';
import { estimate, type Estimate, type EstimateRejection, type EstimateRequest } from '../domain/pricing/estimate.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import type { Result } from '../domain/result.js';
import type { GuildSettingsStore } from './ports/guild-settings.js';

export type EstimatedPlan = Estimate & { readonly creditsPerDollar: number };

/**
 * /estimate: what a plan of images per day costs on the card, with a buffer, and which tier or
 * packs cover it, counting the free credits this guild gives (its /admin config, under the
 * operator's ceiling), not the card's.
 */
export async function estimatePlan(
  deps: { readonly card: PriceCard; readonly guildSettings: GuildSettingsStore },
  input: Omit<EstimateRequest, 'freeDailyCredits'> & { readonly guildId: string },
): Promise<Result<EstimatedPlan, EstimateRejection>> {
  const { guildId, ...request } = input;
  const plan = estimate(deps.card, { ...request, ...freeDailyOf(await deps.guildSettings.config(guildId)) });
  return plan.ok ? { ok: true, value: { ...plan.value, creditsPerDollar: deps.card.creditsPerDollar } } : plan;
}

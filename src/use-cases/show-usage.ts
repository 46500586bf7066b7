import { closestKey } from '../domain/pricing/card-issue-messages.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { err, ok, type Result } from '../domain/result.js';
import { summarizeUsage, usageRange, type UsageSummary } from '../domain/usage/usage-summary.js';
import type { UsageReader } from './ports/usage-reader.js';

/** The longest period /usage looks back over. */
export const maxUsageDays = 365;

export interface ShowUsageInput {
  readonly userId: string;
  readonly guildId: string;
  readonly days: number;
  /** Only this model's jobs; a name the card does not have is refused with the closest one. */
  readonly model?: string | undefined;
}

export type UsageProblem =
  | { readonly code: 'days_out_of_range'; readonly max: number }
  | { readonly code: 'unknown_model'; readonly guess: string | undefined; readonly models: readonly string[] };

export interface ShownUsage {
  readonly summary: UsageSummary;
  readonly creditsPerDollar: number;
}

/** /usage: what the member's finished jobs in this guild cost over the last `days` days, by day, model and operation. */
export async function showUsage(
  deps: { readonly usage: UsageReader; readonly card: PriceCard; readonly now: () => Date },
  input: ShowUsageInput,
): Promise<Result<ShownUsage, UsageProblem>> {
  if (input.days < 1 || input.days > maxUsageDays) return err({ code: 'days_out_of_range', max: maxUsageDays });
  const models = Object.keys(deps.card.models);
  if (input.model !== undefined && !models.includes(input.model)) return err({ code: 'unknown_model', guess: closestKey(input.model, models), models });
  const range = usageRange(deps.now(), input.days);
  const buckets = await deps.usage.buckets({ userId: input.userId, guildId: input.guildId, since: range.since, until: range.until, model: input.model });
  return ok({ summary: summarizeUsage(buckets, range.days), creditsPerDollar: deps.card.creditsPerDollar });
}

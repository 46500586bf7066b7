import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { budgetStatus, type BudgetStatus } from '../domain/spending/budget.js';
import type { AdminStatsReader, GuildUsageFigures } from './ports/admin-stats.js';
import type { BudgetSpending, SpendingLimits } from './ports/spending-limits.js';

export type { GuildUsageFigures };

const dayMs = 24 * 60 * 60 * 1000;

/** /admin stats [days]: this guild's usage over the last 1–365 days (30 when not given): spend by model, provider cost, refunds, top spenders. */
export async function showAdminStats(
  deps: {
    readonly adminStats: AdminStatsReader;
    readonly spendingLimits: Pick<SpendingLimits, 'budgetSpending'>;
    readonly card: PriceCard;
    readonly now: () => Date;
  },
  input: { readonly guildId: string; readonly days: number | null },
): Promise<{
  readonly figures: GuildUsageFigures;
  readonly days: number;
  readonly creditsPerDollar: number;
  /** This month's budget and what is left of it; null when the server has none. */
  readonly budget: (BudgetSpending & { readonly status: BudgetStatus }) | null;
}> {
  const days = Math.min(365, Math.max(1, input.days ?? 30));
  const [figures, spending] = await Promise.all([
    deps.adminStats.guildUsage(input.guildId, new Date(deps.now().getTime() - days * dayMs), 5),
    deps.spendingLimits.budgetSpending(input.guildId),
  ]);
  const budget = spending ? { ...spending, status: budgetStatus(spending.budget, spending.spent) } : null;
  return { figures, days, creditsPerDollar: deps.card.creditsPerDollar, budget };
}

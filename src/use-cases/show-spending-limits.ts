// /admin caps list and /admin budget show: the server's caps, its budget with this month's
// spending, and where alerts go.
import { budgetStatus, type BudgetStatus } from '../domain/spending/budget.js';
import type { ServerCapRule } from '../domain/spending/server-caps.js';
import type { BudgetSpending, SpendingLimits } from './ports/spending-limits.js';

export interface SpendingLimitsView {
  readonly caps: readonly ServerCapRule[];
  readonly budget: (BudgetSpending & { readonly status: BudgetStatus }) | null;
  readonly alertChannelId: string | null;
}

export async function showSpendingLimits(
  deps: { readonly spendingLimits: Pick<SpendingLimits, 'serverCapRules' | 'budgetSpending' | 'alertChannel'> },
  input: { readonly guildId: string },
): Promise<SpendingLimitsView> {
  const [caps, spending, alertChannelId] = await Promise.all([
    deps.spendingLimits.serverCapRules(input.guildId),
    deps.spendingLimits.budgetSpending(input.guildId),
    deps.spendingLimits.alertChannel(input.guildId),
  ]);
  return { caps, budget: spending ? { ...spending, status: budgetStatus(spending.budget, spending.spent) } : null, alertChannelId };
}

// /admin budget set|clear: the operator, or the server's owner where the operator allows it, sets
// what the server may spend per month (checked at every confirm, in SQL).
import { budgetPermission, type BudgetPolicy } from '../domain/spending/budget-permission.js';
import { parseBudgetAmount, type BudgetAmountProblem, type BudgetUnit } from '../domain/spending/budget.js';
import { err, ok, type Result } from '../domain/result.js';
import type { SpendingLimits } from './ports/spending-limits.js';

export interface SetServerBudgetDeps {
  readonly spendingLimits: Pick<SpendingLimits, 'budget' | 'setBudget'>;
  readonly budgetPolicy: BudgetPolicy;
}

export interface SetServerBudgetInput {
  readonly guildId: string;
  readonly actorId: string;
  /** The server's owner as Discord says; null when unknown. */
  readonly guildOwnerId: string | null;
  /** What was typed ("5000", "$25"); null clears the budget. */
  readonly amount: string | null;
  readonly reason?: string | undefined;
}

export type SetServerBudgetRefusal =
  { readonly code: 'not_owner' | 'owners_not_allowed' | 'operator_set' } | { readonly code: 'bad_amount'; readonly problem: BudgetAmountProblem };

export async function setServerBudget(
  deps: SetServerBudgetDeps,
  input: SetServerBudgetInput,
): Promise<Result<{ readonly budget: { readonly unit: BudgetUnit; readonly monthly: number } | null }, SetServerBudgetRefusal>> {
  let budget: { unit: BudgetUnit; monthly: number } | null = null;
  if (input.amount !== null) {
    const parsed = parseBudgetAmount(input.amount);
    if (!parsed.ok) return err({ code: 'bad_amount', problem: parsed.problem });
    budget = { unit: parsed.unit, monthly: parsed.amount };
  }
  const permission = budgetPermission(deps.budgetPolicy, input, await deps.spendingLimits.budget(input.guildId));
  if (!permission.allowed) return err({ code: permission.reason });
  // The store decides again on the locked row: an operator's budget set meanwhile still wins.
  const outcome = await deps.spendingLimits.setBudget({
    guildId: input.guildId,
    budget,
    actorId: input.actorId,
    byOperator: permission.asOperator,
    reason: input.reason,
  });
  if (outcome === 'operator_set') return err({ code: 'operator_set' });
  return ok({ budget });
}

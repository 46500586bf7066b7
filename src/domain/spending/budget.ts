// A server's monthly budget as admins and the operator see it: what is left, how far along, and
// which alert thresholds a month has reached. The check itself runs in confirm_quote (SQL).

export type BudgetUnit = 'credits' | 'usd';

export interface ServerBudget {
  readonly unit: BudgetUnit;
  /** Per UTC calendar month: credits, or dollars with cents. */
  readonly monthly: number;
  readonly setBy: string;
  /** Set by one of the operator's owners: the server's owner may not change it. */
  readonly setByOperator: boolean;
}

/** The alert thresholds, in percent of the budget; each fires once per server and month. */
export const budgetAlertThresholds = [80, 100] as const;
export type BudgetThreshold = (typeof budgetAlertThresholds)[number];

/** Sane maxima: a typo of three zeros should be refused, not obeyed. */
export const budgetMaximum = { credits: 100_000_000, usd: 1_000_000 } as const;

export interface BudgetStatus {
  readonly spent: number;
  readonly left: number;
  /** Spent in percent of the budget, whole, rounded down (so 100 only once it is all spent). */
  readonly percent: number;
}

export function budgetStatus(budget: Pick<ServerBudget, 'monthly'>, spent: number): BudgetStatus {
  return { spent, left: Math.max(0, budget.monthly - spent), percent: Math.floor((spent * 100) / budget.monthly) };
}

/** The thresholds a month has reached at `spent` (the SQL writes one alert row for each, once). */
export const reachedThresholds = (monthly: number, spent: number): BudgetThreshold[] => budgetAlertThresholds.filter((t) => spent * 100 >= monthly * t);

export type BudgetAmountProblem = { readonly code: 'not_a_number' } | { readonly code: 'too_small' } | { readonly code: 'too_large'; readonly maximum: number };

/**
 * Parses what an admin typed as a budget: "5000" (credits) or "$25" / "25 usd" (dollars, cents at
 * most). Refuses nonsense, zero or less, and more than the sane maximum.
 */
export function parseBudgetAmount(text: string): { ok: true; unit: BudgetUnit; amount: number } | { ok: false; problem: BudgetAmountProblem } {
  const trimmed = text.trim().toLowerCase().replaceAll(',', '').replaceAll('_', '');
  const dollars = /^\$\s*(\d+(?:\.\d{1,2})?)$/.exec(trimmed) ?? /^(\d+(?:\.\d{1,2})?)\s*(?:usd|dollars?)$/.exec(trimmed);
  const credits = /^(\d+)(?:\s*credits?)?$/.exec(trimmed);
  const unit: BudgetUnit | null = dollars ? 'usd' : credits ? 'credits' : null;
  if (unit === null) return { ok: false, problem: { code: 'not_a_number' } };
  const amount = Number((dollars ?? credits)![1]);
  if (!(amount > 0)) return { ok: false, problem: { code: 'too_small' } };
  if (amount > budgetMaximum[unit]) return { ok: false, problem: { code: 'too_large', maximum: budgetMaximum[unit] } };
  return { ok: true, unit, amount };
}

/** "1,234 credits" or "$12.50". */
export const formatBudgetAmount = (unit: BudgetUnit, amount: number): string =>
  unit === 'usd' ? `$${amount.toFixed(2)}` : `${Math.round(amount).toLocaleString('en-US')} credits`;

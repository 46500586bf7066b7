import { formatBudgetAmount } from '../../domain/spending/budget.js';
import type { BudgetAlert } from '../../use-cases/adapter-contracts.js';

/** The alert admins read: how far along the month is and what happens at 100%. */
export function budgetAlertText(alert: BudgetAlert, guildName?: string): string {
  const where = guildName ? ` of **${guildName}**` : '';
  const spent = `${formatBudgetAmount(alert.unit, alert.spent)} of ${formatBudgetAmount(alert.unit, alert.budget)}`;
  if (alert.threshold === 100)
    return `🛑 The monthly image budget${where} is used up for ${alert.month} (${spent}): new jobs — Relax included — are refused until the 1st (UTC). The operator, or the server's owner where allowed, can raise it with /admin budget set; /admin stats shows where it went.`;
  return `⚠️ The monthly image budget${where} is 80% used for ${alert.month} (${spent}). At 100% new jobs — Relax included — are refused until the 1st (UTC). /admin stats shows where it went.`;
}

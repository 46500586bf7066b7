import { channelMention, roleMention, userMention } from 'discord.js';
import { formatBudgetAmount } from '../../domain/spending/budget.js';
import type { ServerCapRule } from '../../domain/spending/server-caps.js';
import type { SpendingLimitsView } from '../../use-cases/show-spending-limits.js';

const capValue = (value: number | null) => (value === null ? 'none' : `${value.toLocaleString('en-US')}`);

/** "@role: 50 a day, none a month". */
export const capRuleText = (rule: ServerCapRule, guildId: string): string => {
  const who = rule.kind === 'member' ? userMention(rule.subjectId) : rule.subjectId === guildId ? '@everyone' : roleMention(rule.subjectId);
  if (rule.daily === null && rule.monthly === null) return `${who}: no caps${rule.kind === 'member' ? ' (exempt from role caps)' : ''}`;
  return `${who}: ${capValue(rule.daily)} a day, ${capValue(rule.monthly)} a month`;
};

export function capsListText(view: SpendingLimitsView, guildId: string): string {
  if (view.caps.length === 0) return 'No spending caps in this server. Members may still cap themselves in /settings.';
  const members = view.caps.filter((rule) => rule.kind === 'member');
  const roles = view.caps.filter((rule) => rule.kind === 'role');
  return [
    '**Spending caps** (credits per UTC day and month; a member’s own rule replaces their roles’ caps, else the most generous of their roles applies; a member’s /settings caps apply on top)',
    ...members.map((rule) => `• ${capRuleText(rule, guildId)}`),
    ...roles.map((rule) => `• ${capRuleText(rule, guildId)}`),
  ].join('\n');
}

export function budgetText(view: SpendingLimitsView): string {
  const alerts = `Alerts at 80% and 100% go to ${view.alertChannelId === null ? 'the server owner by DM' : channelMention(view.alertChannelId)} (/admin budget alerts).`;
  if (view.budget === null) return `This server has no monthly budget. ${alerts}`;
  const { budget, status } = view.budget;
  const who = budget.setByOperator ? 'the bot’s operator' : 'the server owner';
  return [
    `**Monthly budget:** ${formatBudgetAmount(budget.unit, budget.monthly)} (set by ${who}).`,
    `This month (UTC): **${formatBudgetAmount(budget.unit, status.spent)}** used (${status.percent}%), **${formatBudgetAmount(budget.unit, status.left)}** left. Running jobs count in full; failed images do not count.`,
    alerts,
  ].join('\n');
}

import { EmbedBuilder, userMention } from 'discord.js';
import { summariseUsage } from '../../domain/admin/usage-summary.js';
import { formatUsd } from '../../domain/pricing/format-breakdown.js';
import { laneLabel } from '../../domain/lanes/lanes.js';
import type { GuildUsageFigures } from '../../use-cases/show-admin-stats.js';
import { formatBudgetAmount } from '../../domain/spending/budget.js';
import type { SpendingLimitsView } from '../../use-cases/show-spending-limits.js';

export interface AdminStatsView {
  readonly figures: GuildUsageFigures;
  readonly days: number;
  readonly creditsPerDollar: number;
  readonly budget?: SpendingLimitsView['budget'] | undefined;
}

const statusOrder = ['succeeded', 'partial', 'failed', 'running', 'queued'];
const orNone = (lines: string[]): string => (lines.length > 0 ? lines.join('\n') : 'none');

/** /admin stats as one embed: spend by model and by lane, margin, refunds, top spenders, jobs by status, the month's budget. */
export function renderAdminStats({ figures, days, creditsPerDollar, budget = null }: AdminStatsView): EmbedBuilder {
  const usage = summariseUsage(figures.byModel, creditsPerDollar, figures.adminRefunds.credits);
  const share = usage.marginShare === null ? '' : ` (${Math.round(usage.marginShare * 100)}%)`;
  const refundLines = figures.jobRefunds.map((r) => `${r.reason}: ${r.jobs} job${r.jobs === 1 ? '' : 's'}, ${r.credits} credits`);
  if (figures.adminRefunds.count > 0)
    refundLines.push(`by admins: ${figures.adminRefunds.count} job${figures.adminRefunds.count === 1 ? '' : 's'}, ${figures.adminRefunds.credits} credits`);
  return new EmbedBuilder()
    .setTitle(`Usage in the last ${days} day${days === 1 ? '' : 's'}`)
    .setDescription(
      usage.creditsRefundedByAdmins > 0
        ? `Charged **${usage.creditsCharged}** credits, **${usage.creditsRefundedByAdmins}** given back by admins: net **${usage.netCredits}** (${formatUsd(usage.netUsd)} at ${creditsPerDollar}/$) · provider cost ${formatUsd(usage.providerCostUsd)} · margin **${formatUsd(usage.marginUsd)}**${share}`
        : `Charged **${usage.creditsCharged}** credits (${formatUsd(usage.chargedUsd)} at ${creditsPerDollar}/$) · provider cost ${formatUsd(usage.providerCostUsd)} · margin **${formatUsd(usage.marginUsd)}**${share}`,
    )
    .addFields(
      {
        name: 'Spend by model',
        value: orNone(
          usage.models.map(
            (m) =>
              `**${m.model}**: ${m.creditsCharged} credits (${formatUsd(m.chargedUsd)}) · ${m.images} images · cost ${formatUsd(m.providerCostUsd)} · margin ${formatUsd(m.marginUsd)}`,
          ),
        ),
      },
      {
        name: 'Spend by lane',
        value: orNone(
          figures.byLane.map(
            (l) =>
              `**${laneLabel[l.lane]}**: ${l.creditsCharged} credits · ${l.jobs} job${l.jobs === 1 ? '' : 's'} · ${l.images} images · cost ${formatUsd(l.providerCostUsd)}`,
          ),
        ),
      },
      { name: 'Refunds', value: orNone(refundLines) },
      {
        name: 'Top spenders',
        value: orNone(figures.topSpenders.map((s, i) => `${i + 1}. ${userMention(s.userId)}: ${s.credits} credits, ${s.jobs} job${s.jobs === 1 ? '' : 's'}`)),
      },
      {
        name: 'Jobs by status',
        value: orNone(statusOrder.filter((status) => figures.jobsByStatus[status]).map((status) => `${status}: ${figures.jobsByStatus[status]}`)),
      },
      {
        name: 'Monthly budget (this UTC month)',
        value:
          budget === null
            ? 'none set'
            : `${formatBudgetAmount(budget.budget.unit, budget.status.spent)} of ${formatBudgetAmount(budget.budget.unit, budget.budget.monthly)} used (${budget.status.percent}%) · **${formatBudgetAmount(budget.budget.unit, budget.status.left)}** left`,
      },
    );
}

import { AttachmentBuilder, EmbedBuilder } from 'discord.js';
import { formatNumber, formatUsd } from '../../domain/pricing/format-breakdown.js';
import type { UsageSummary } from '../../domain/usage/usage-summary.js';
import { laneLabel } from '../../domain/lanes/lanes.js';

export const SPEND_CHART_FILE = 'spend-per-day.png';
const MAX_BREAKDOWN_LINES = 12;

export interface UsageView {
  readonly summary: UsageSummary;
  readonly days: number;
  readonly model: string | undefined;
  readonly creditsPerDollar: number;
  readonly chartPng: Buffer;
}

const credits = (amount: number, perDollar: number): string => `${amount} credit${amount === 1 ? '' : 's'} (${formatUsd(amount / perDollar)})`;

export function renderUsage(view: UsageView) {
  const { totals, byModelOperation, byLane, creditsPerKeptImage } = view.summary;
  const lines = byModelOperation
    .slice(0, MAX_BREAKDOWN_LINES)
    .map(
      (row) =>
        `**${row.model}** ${row.operation}: ${row.creditsCharged} spent · ${row.imagesDelivered} image${row.imagesDelivered === 1 ? '' : 's'} · ${row.imagesKept} kept${row.creditsRefunded ? ` · ${row.creditsRefunded} refunded` : ''}`,
    );
  if (byModelOperation.length > MAX_BREAKDOWN_LINES) lines.push(`…and ${byModelOperation.length - MAX_BREAKDOWN_LINES} more`);
  const embed = new EmbedBuilder()
    .setTitle(`Your usage: last ${view.days} day${view.days === 1 ? '' : 's'}${view.model ? ` · ${view.model}` : ''}`)
    .setDescription(
      `**${credits(totals.creditsCharged, view.creditsPerDollar)} spent** on ${totals.jobs} job${totals.jobs === 1 ? '' : 's'} · **${totals.creditsRefunded} refunded** for images that failed or were blocked.`,
    )
    .addFields(
      { name: 'Images', value: `${totals.imagesRequested} asked for · ${totals.imagesDelivered} delivered · ${totals.imagesKept} kept ⭐`, inline: true },
      {
        name: 'Cost per kept image',
        value:
          creditsPerKeptImage === null
            ? 'Nothing kept yet: press Keep ⭐ under images you like.'
            : `${formatNumber(creditsPerKeptImage, 1)} credits (${formatUsd(creditsPerKeptImage / view.creditsPerDollar)})`,
        inline: true,
      },
      { name: 'By model and operation', value: lines.join('\n').slice(0, 1024) },
      {
        name: 'By speed lane',
        value:
          byLane
            .map((row) => `**${laneLabel[row.lane]}**: ${row.creditsCharged} spent · ${row.imagesDelivered} image${row.imagesDelivered === 1 ? '' : 's'}`)
            .join('\n') || 'No jobs yet.',
      },
    )
    .setImage(`attachment://${SPEND_CHART_FILE}`)
    .setFooter({ text: 'Days are UTC; spend counts only delivered images.' });
  return { embeds: [embed], files: [new AttachmentBuilder(view.chartPng, { name: SPEND_CHART_FILE, description: 'Credits spent per day, by model' })] };
}

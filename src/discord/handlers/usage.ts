import { type ChatInputCommandInteraction } from 'discord.js';
import { renderSpendChart } from '../../charts/spend-chart.js';
import { closestKey } from '../../domain/pricing/card-issue-messages.js';
import { summarizeUsage, usageRange } from '../../domain/usage/usage-summary.js';
import type { BotDeps } from '../bot-deps.js';
import { renderUsage } from '../render/usage-reply.js';

const DEFAULT_DAYS = 30;
const MAX_DAYS = 365;

/** `/usage [days] [model]`: spend, refunds, kept images and cost per kept image, with a chart. */
export async function handleUsage(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, deps: BotDeps): Promise<void> {
  const days = interaction.options.getInteger('days') ?? DEFAULT_DAYS;
  const model = interaction.options.getString('model')?.trim().toLowerCase() || undefined;
  if (days < 1 || days > MAX_DAYS) {
    await interaction.editReply({ content: `days must be from 1 to ${MAX_DAYS} (you asked for ${days}).` });
    return;
  }
  const models = Object.keys(deps.card.models);
  if (model !== undefined && !models.includes(model)) {
    const guess = closestKey(model, models);
    await interaction.editReply({
      content: `There is no model called “${model.slice(0, 50)}”.${guess ? ` Did you mean **${guess}**?` : ''} Models: ${models.join(', ')}.`,
      allowedMentions: { parse: [] },
    });
    return;
  }
  const range = usageRange(deps.now(), days);
  const buckets = await deps.usage.buckets({ userId: interaction.user.id, guildId: interaction.guildId, since: range.since, until: range.until, model });
  const summary = summarizeUsage(buckets, range.days);
  if (summary.totals.jobs === 0) {
    await interaction.editReply({ content: `No finished image jobs in the last ${days} day${days === 1 ? '' : 's'}${model ? ` with ${model}` : ''}. Try /imagine!` });
    return;
  }
  const chartPng = await renderSpendChart({
    title: `Credits spent per day, last ${days} day${days === 1 ? '' : 's'} (UTC)`,
    days: summary.daily.days,
    series: summary.daily.series.map((s) => ({ label: s.model, values: s.credits })),
  });
  await interaction.editReply(renderUsage({ summary, days, model, creditsPerDollar: deps.card.creditsPerDollar, chartPng }));
}

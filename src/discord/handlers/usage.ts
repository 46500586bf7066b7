import { type ChatInputCommandInteraction } from 'discord.js';
import { renderSpendChart } from '../../charts/spend-chart.js';
import type { UsageProblem } from '../../use-cases/show-usage.js';
import type { HandlerContext } from '../handler-context.js';
import { renderUsage } from '../render/usage-reply.js';

const DEFAULT_DAYS = 30;

const problemText = (problem: UsageProblem, days: number, model: string | undefined): string => {
  switch (problem.code) {
    case 'days_out_of_range':
      return `days must be from 1 to ${problem.max} (you asked for ${days}).`;
    case 'unknown_model':
      return `There is no model called “${(model ?? '').slice(0, 50)}”.${problem.guess ? ` Did you mean **${problem.guess}**?` : ''} Models: ${problem.models.join(', ')}.`;
  }
};

/** `/usage [days] [model]`: spend, refunds, kept images and cost per kept image, with a chart. */
export async function handleUsage(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: HandlerContext): Promise<void> {
  const days = interaction.options.getInteger('days') ?? DEFAULT_DAYS;
  const model = interaction.options.getString('model')?.trim().toLowerCase() || undefined;
  const usage = await ctx.useCases.showUsage({ userId: interaction.user.id, guildId: interaction.guildId, days, model });
  if (!usage.ok) {
    await interaction.editReply({ content: problemText(usage.error, days, model), allowedMentions: { parse: [] } });
    return;
  }
  const { summary, creditsPerDollar } = usage.value;
  if (summary.totals.jobs === 0) {
    await interaction.editReply({
      content: `No finished image jobs in the last ${days} day${days === 1 ? '' : 's'}${model ? ` with ${model}` : ''}. Try /imagine!`,
    });
    return;
  }
  const chartPng = await renderSpendChart({
    title: `Credits spent per day, last ${days} day${days === 1 ? '' : 's'} (UTC)`,
    days: summary.daily.days,
    series: summary.daily.series.map((s) => ({ label: s.model, values: s.credits })),
  });
  await interaction.editReply(renderUsage({ summary, days, model, creditsPerDollar, chartPng }));
}

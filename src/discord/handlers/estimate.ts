import { type ChatInputCommandInteraction } from 'discord.js';
import type { HandlerContext } from '../handler-context.js';
import { renderEstimate } from '../render/estimate-reply.js';

const DEFAULT_DAYS = 30;

/** `/estimate images-per-day [model] [size] [days]`: the plan's cost plus a buffer, and what covers it. */
export async function handleEstimate(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: HandlerContext): Promise<void> {
  const imagesPerDay = interaction.options.getInteger('images-per-day', true);
  const days = interaction.options.getInteger('days') ?? DEFAULT_DAYS;
  const model = interaction.options.getString('model')?.trim().toLowerCase() || undefined;
  const size = interaction.options.getString('size')?.trim() || undefined;
  const plan = await ctx.useCases.estimatePlan({ guildId: interaction.guildId, imagesPerDay, days, model, size });
  if (!plan.ok) {
    await interaction.editReply({ content: plan.error.message, allowedMentions: { parse: [] } });
    return;
  }
  await interaction.editReply({ embeds: [renderEstimate(plan.value, imagesPerDay, days, plan.value.creditsPerDollar)] });
}

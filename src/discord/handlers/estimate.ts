import { type ChatInputCommandInteraction } from 'discord.js';
import { freeDailyOf } from '../../domain/guild-config.js';
import { estimate } from '../../domain/pricing/estimate.js';
import type { BotDeps } from '../bot-deps.js';
import { renderEstimate } from '../render/estimate-reply.js';

const DEFAULT_DAYS = 30;

/** `/estimate images-per-day [model] [size] [days]`: the plan's cost plus a buffer, and what covers it. */
export async function handleEstimate(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, deps: BotDeps): Promise<void> {
  const imagesPerDay = interaction.options.getInteger('images-per-day', true);
  const days = interaction.options.getInteger('days') ?? DEFAULT_DAYS;
  const model = interaction.options.getString('model')?.trim().toLowerCase() || undefined;
  const size = interaction.options.getString('size')?.trim() || undefined;
  // The free credits this server gives (its /admin config, under the operator's ceiling), not the card's.
  const free = freeDailyOf(await deps.guildSettings.config(interaction.guildId));
  const plan = estimate(deps.card, { imagesPerDay, days, model, size, ...free });
  if (!plan.ok) {
    await interaction.editReply({ content: plan.error.message, allowedMentions: { parse: [] } });
    return;
  }
  await interaction.editReply({ embeds: [renderEstimate(plan.value, imagesPerDay, days, deps.card.creditsPerDollar)] });
}

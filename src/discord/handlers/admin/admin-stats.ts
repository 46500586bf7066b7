import type { BotDeps } from '../../bot-deps.js';
import { renderAdminStats } from '../../render/admin-stats.js';
import type { AdminInteraction } from './admin-reply.js';

const dayMs = 24 * 60 * 60 * 1000;

/** /admin stats [days=30]: this server's usage over the period, one embed, no pings. */
export async function handleAdminStats(interaction: AdminInteraction, deps: BotDeps): Promise<void> {
  const days = Math.min(365, Math.max(1, interaction.options.getInteger('days') ?? 30));
  const figures = await deps.adminStats.guildUsage(interaction.guildId, new Date(deps.now().getTime() - days * dayMs), 5);
  await interaction.editReply({
    embeds: [renderAdminStats({ figures, days, creditsPerDollar: deps.card.creditsPerDollar })],
    allowedMentions: { parse: [] },
  });
}

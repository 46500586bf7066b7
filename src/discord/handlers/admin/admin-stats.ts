import type { HandlerContext } from '../../handler-context.js';
import { renderAdminStats } from '../../render/admin-stats.js';
import type { AdminInteraction } from './admin-reply.js';

/** /admin stats [days=30]: this server's usage over the period, one embed, no pings. */
export async function handleAdminStats(interaction: AdminInteraction, ctx: HandlerContext): Promise<void> {
  const stats = await ctx.useCases.showAdminStats({ guildId: interaction.guildId, days: interaction.options.getInteger('days') });
  await interaction.editReply({ embeds: [renderAdminStats(stats)], allowedMentions: { parse: [] } });
}

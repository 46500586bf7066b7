import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { HandlerContext } from '../handler-context.js';
import { renderPricing } from '../render/pricing-embeds.js';

/** `/pricing`: the whole card; a card too big for one message continues in follow-ups. */
export async function handlePricing(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: HandlerContext): Promise<void> {
  const { card, freeDailyCredits } = await ctx.useCases.showPricing({ guildId: interaction.guildId });
  const [first = [], ...rest] = renderPricing(card, freeDailyCredits);
  await interaction.editReply({ embeds: first });
  for (const embeds of rest) await interaction.followUp({ embeds, flags: MessageFlags.Ephemeral });
}

import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { BotDeps } from '../bot-deps.js';
import { renderPricing } from '../render/pricing-embeds.js';

/** `/pricing`: the whole card; a card too big for one message continues in follow-ups. */
export async function handlePricing(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, deps: BotDeps): Promise<void> {
  const free = (await deps.guildSettings.config(interaction.guildId)).freeDailyCredits ?? deps.card.freeDailyCredits;
  const [first = [], ...rest] = renderPricing(deps.card, free);
  await interaction.editReply({ embeds: first });
  for (const embeds of rest) await interaction.followUp({ embeds, flags: MessageFlags.Ephemeral });
}

import { MessageFlags, type ButtonInteraction } from 'discord.js';
import type { BotDeps } from '../bot-deps.js';
import { confirmQuoteFor } from '../confirm-quote.js';
import { confirmedText, confirmRejectionText } from '../render/confirm-reply.js';

/** Generate / Cancel on a quote. Only its owner can act; a double click charges once. */
export async function handleQuoteButton(interaction: ButtonInteraction, action: 'generate' | 'cancel', quoteId: string, deps: BotDeps): Promise<void> {
  if (action === 'cancel') {
    const cancelled = await deps.jobs.cancelQuote(quoteId, interaction.user.id);
    if (cancelled) await interaction.update({ content: 'Cancelled — nothing was charged.', embeds: [], components: [] });
    else await interaction.reply({ content: 'Only the person who asked for this quote can cancel it, and only before it is used.', flags: MessageFlags.Ephemeral });
    return;
  }
  const guildId = interaction.guildId ?? '';
  const settings = await deps.memberSettings.get(interaction.user.id, guildId);
  const confirmed = await confirmQuoteFor(deps, interaction.client.rest, { quoteId, userId: interaction.user.id, guildId, settings });
  if (!confirmed.ok) {
    const content = confirmRejectionText(confirmed.error);
    // The owner's own quote message shows why; anyone else gets a private note and nothing changes.
    if (confirmed.error.code === 'not_quote_owner') await interaction.reply({ content, flags: MessageFlags.Ephemeral });
    // Short of credits, the buttons stay: after a /topup the same quote can still go through.
    else if (confirmed.error.code === 'insufficient_credits') await interaction.update({ content });
    else await interaction.update({ content, embeds: [], components: [] });
    return;
  }
  await interaction.update({ content: confirmedText(confirmed.value), embeds: [], components: [] });
}

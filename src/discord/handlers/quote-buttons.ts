import { MessageFlags, type ButtonInteraction } from 'discord.js';
import type { BotDeps } from '../bot-deps.js';
import { confirmQuoteFor } from '../confirm-quote.js';
import { confirmedText, confirmRejectionText } from '../render/confirm-reply.js';

/**
 * Generate / Cancel on a quote (the router has deferred an update of the quote message). Only its
 * owner can act; a double click charges once. Anyone else gets a private note and nothing changes.
 */
export async function handleQuoteButton(interaction: ButtonInteraction, action: 'generate' | 'cancel', quoteId: string, deps: BotDeps): Promise<void> {
  const privateNote = (content: string) => interaction.followUp({ content, flags: MessageFlags.Ephemeral });
  if (action === 'cancel') {
    const cancelled = await deps.jobs.cancelQuote(quoteId, interaction.user.id);
    if (cancelled) await interaction.editReply({ content: 'Cancelled — nothing was charged.', embeds: [], components: [] });
    else await privateNote('Only the person who asked for this quote can cancel it, and only before it is used.');
    return;
  }
  const guildId = interaction.guildId ?? '';
  const settings = await deps.memberSettings.get(interaction.user.id, guildId);
  const confirmed = await confirmQuoteFor(deps, {
    quoteId, userId: interaction.user.id, guildId, settings, interaction,
    answer: (value) => interaction.editReply({ content: confirmedText(value), embeds: [], components: [] }),
  });
  if (confirmed.ok) return;
  const content = confirmRejectionText(confirmed.error);
  // The owner's own quote message shows why; anyone else gets a private note and nothing changes.
  if (confirmed.error.code === 'not_quote_owner') await privateNote(content);
  // Short of credits, the buttons stay: after a /topup the same quote can still go through.
  else if (confirmed.error.code === 'insufficient_credits') await interaction.editReply({ content });
  else await interaction.editReply({ content, embeds: [], components: [] });
}

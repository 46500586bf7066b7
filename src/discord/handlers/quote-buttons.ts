import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { confirmationBy } from '../confirmation.js';
import type { HandlerContext } from '../handler-context.js';
import { confirmedText, confirmRejectionText } from '../render/confirm-reply.js';

/**
 * Generate / Cancel on a quote (the router has deferred an update of the quote message). Only its
 * owner can act; a double click charges once. Anyone else gets a private note and nothing changes.
 */
export async function handleQuoteButton(interaction: ButtonInteraction, action: 'generate' | 'cancel', quoteId: string, ctx: HandlerContext): Promise<void> {
  if (action === 'cancel') return cancel(interaction, quoteId, ctx);
  return generate(interaction, quoteId, ctx);
}

const privateNote = (interaction: ButtonInteraction, content: string) => interaction.followUp({ content, flags: MessageFlags.Ephemeral });

async function cancel(interaction: ButtonInteraction, quoteId: string, ctx: HandlerContext): Promise<void> {
  if (await ctx.useCases.cancelQuote({ quoteId, userId: interaction.user.id })) {
    await interaction.editReply({ content: 'Cancelled — nothing was charged.', embeds: [], components: [] });
  } else {
    await privateNote(interaction, 'Only the person who asked for this quote can cancel it, and only before it is used.');
  }
}

async function generate(interaction: ButtonInteraction, quoteId: string, ctx: HandlerContext): Promise<void> {
  const confirmed = await ctx.useCases.confirmQuote({
    quoteId,
    userId: interaction.user.id,
    guildId: interaction.guildId ?? '',
    ...confirmationBy(interaction, ctx, (value) => interaction.editReply({ content: confirmedText(value), embeds: [], components: [] })),
  });
  if (confirmed.ok) return;
  const content = confirmRejectionText(confirmed.error);
  // The owner's own quote message shows why; anyone else gets a private note and nothing changes.
  if (confirmed.error.code === 'not_quote_owner') await privateNote(interaction, content);
  // Short of credits, the buttons stay: after a /topup the same quote can still go through.
  else if (confirmed.error.code === 'insufficient_credits') await interaction.editReply({ content });
  else await interaction.editReply({ content, embeds: [], components: [] });
}

// What /imagine and /batch answer (the router has deferred a private reply): the quote with
// Generate / Cancel, or — when auto-confirm took it — nothing more, since the confirmation answered.
import type { ChatInputCommandInteraction } from 'discord.js';
import type { RequestedGeneration } from '../use-cases/request-generation.js';
import type { QuoteGenerationError } from '../use-cases/quote-generation.js';
import type { Result } from '../domain/result.js';
import { confirmedText, confirmRejectionText } from './render/confirm-reply.js';
import { renderQuote, renderQuoteError } from './render/quote-reply.js';

type GuildCommand = ChatInputCommandInteraction<'cached' | 'raw'>;

/** How an auto-confirmation is told: it becomes the private answer. */
export const answerConfirmation = (interaction: GuildCommand) => (confirmed: Parameters<typeof confirmedText>[0]) =>
  interaction.editReply({ content: confirmedText(confirmed) });

export async function replyWithRequest(
  interaction: GuildCommand,
  requested: Result<RequestedGeneration, QuoteGenerationError>,
  description: string,
): Promise<void> {
  if (!requested.ok) {
    await interaction.editReply(renderQuoteError(requested.error));
    return;
  }
  const value = requested.value;
  switch (value.kind) {
    case 'auto_confirmed':
      return;
    case 'quoted':
      await interaction.editReply(renderQuote(value.quoted, description));
      return;
    case 'not_auto_confirmed':
      // Not confirmed (too few credits, most likely): the ordinary quote, with the reason on top; its
      // Generate button still works after a /topup.
      await interaction.editReply({ ...renderQuote(value.quoted, description), content: `Not auto-confirmed: ${confirmRejectionText(value.rejection)}` });
  }
}

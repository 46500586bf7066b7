// What /imagine and /batch answer once a quote exists: the quote with Generate / Cancel, or —
// when its price is within the member's auto-confirm threshold — the confirmation itself,
// through the same path as the Generate button. The router has deferred a private reply.
import type { ChatInputCommandInteraction } from 'discord.js';
import type { MemberSettings } from '../domain/settings/member-settings.js';
import { shouldAutoConfirm } from '../use-cases/low-balance-warning.js';
import type { QuotedGeneration } from '../use-cases/quote-generation.js';
import type { BotDeps } from './bot-deps.js';
import { confirmQuoteFor } from './confirm-quote.js';
import { confirmedText, confirmRejectionText } from './render/confirm-reply.js';
import { renderQuote } from './render/quote-reply.js';

export async function replyWithQuote(
  interaction: ChatInputCommandInteraction<'cached' | 'raw'>, deps: BotDeps, quoted: QuotedGeneration, description: string, settings: MemberSettings,
): Promise<void> {
  if (!shouldAutoConfirm(settings, quoted.quote.total)) {
    await interaction.editReply(renderQuote(quoted, description));
    return;
  }
  const confirmed = await confirmQuoteFor(deps, {
    quoteId: quoted.quoteId, userId: interaction.user.id, guildId: interaction.guildId, settings, tierName: quoted.quote.tier, interaction,
    answer: (value) => interaction.editReply({ content: confirmedText(value, settings.autoConfirmMaxCredits) }),
  });
  if (confirmed.ok) return;
  // Not confirmed (too few credits, most likely): the ordinary quote, with the reason on top; its
  // Generate button still works after a /topup.
  await interaction.editReply({ ...renderQuote(quoted, description), content: `Not auto-confirmed: ${confirmRejectionText(confirmed.error)}` });
}

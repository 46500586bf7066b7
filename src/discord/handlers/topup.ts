import { type ChatInputCommandInteraction } from 'discord.js';
import type { HandlerContext } from '../handler-context.js';
import { topupReply } from '../render/topup-reply.js';

/**
 * `/topup`: the packs and the ways to buy them. Nothing is created at Stripe here (sessions are
 * made when a card button is clicked), so this answers at once and each session is one intent.
 */
export async function handleTopup(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: HandlerContext): Promise<void> {
  const { card, offers, cardPayments } = ctx.useCases.listPacks();
  if (offers.length === 0) {
    await interaction.editReply({ content: 'This bot sells no credit packs. Ask a server admin about free credits and tiers.' });
    return;
  }
  await interaction.editReply({ ...topupReply(card, offers, cardPayments) });
}

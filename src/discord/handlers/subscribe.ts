import type { ChatInputCommandInteraction } from 'discord.js';
import type { HandlerContext } from '../handler-context.js';
import { subscribeReply } from '../render/subscribe-reply.js';

/** `/subscribe`: the plans and the ways to buy them; nothing is created at a payment provider until a button is clicked. */
export async function handleSubscribe(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: HandlerContext): Promise<void> {
  const { card, plans, cardPayments } = ctx.useCases.listPlans();
  if (plans.length === 0) {
    await interaction.editReply({ content: 'This bot sells no plans. Tiers come from roles: ask a server admin.' });
    return;
  }
  await interaction.editReply({ ...subscribeReply(card, plans, cardPayments) });
}

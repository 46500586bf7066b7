import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type ButtonInteraction } from 'discord.js';
import { formatUsd } from '../../domain/pricing/format-breakdown.js';
import { findPack } from '../../domain/pricing/packs.js';
import type { BotDeps } from '../bot-deps.js';

const maxButtonUrl = 512;

/**
 * "Buy with card" under /topup: makes a Stripe Checkout session for the member who clicked, in
 * this guild, and hands them its link privately. The webhook grants the pack once it is paid.
 */
export async function handleStripeCheckoutButton(interaction: ButtonInteraction<'cached' | 'raw'>, packId: string, deps: BotDeps): Promise<void> {
  const pack = findPack(deps.card, packId);
  if (!deps.checkout || !pack) {
    const content = deps.checkout ? 'That pack is no longer sold. Run /topup to see the current packs.' : 'Card payments are not set up on this bot. Run /topup to see other ways to get credits.';
    await interaction.editReply({ content });
    return;
  }
  const session = await deps.checkout.createSession({
    pack, userId: interaction.user.id, guildId: interaction.guildId,
    returnUrl: `https://discord.com/channels/${interaction.guildId}/${interaction.channelId}`,
    idempotencyKey: interaction.id,
  });
  if (!session.ok) {
    deps.log.warn({ packId, userId: interaction.user.id, detail: session.error.detail }, 'could not create a checkout session');
    await interaction.editReply({ content: 'The payment service is not answering right now, and nothing was charged. Please try again in a few minutes.' });
    return;
  }
  deps.log.info({ packId, userId: interaction.user.id, guildId: interaction.guildId, sessionId: session.value.id }, 'checkout session created');
  const { url } = session.value;
  const intro = `**${pack.credits} credits for ${formatUsd(pack.priceUsd)}**: pay on Stripe’s secure page. ` +
    'The credits arrive as soon as the payment goes through, and I will tell you by DM. This link is made for you.';
  // A link button holds at most 512 characters; a longer URL goes in the text instead.
  await interaction.editReply(url.length <= maxButtonUrl
    ? { content: intro, components: [new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(url).setLabel(`Pay ${formatUsd(pack.priceUsd)} with card`))] }
    : { content: `${intro}\n${url}` });
}

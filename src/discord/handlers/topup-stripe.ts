import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type ButtonInteraction } from 'discord.js';
import { formatUsd } from '../../domain/pricing/format-breakdown.js';
import type { HandlerContext } from '../handler-context.js';

const maxButtonUrl = 512;

const problemText = {
  card_payments_off: 'Card payments are not set up on this bot. Run /topup to see other ways to get credits.',
  pack_not_sold: 'That pack is no longer sold. Run /topup to see the current packs.',
  checkout_unavailable: 'The payment service is not answering right now, and nothing was charged. Please try again in a few minutes.',
} as const;

/**
 * "Buy with card" under /topup: makes a Stripe Checkout session for the member who clicked, in
 * this guild, and hands them its link privately. The webhook grants the pack once it is paid.
 */
export async function handleStripeCheckoutButton(interaction: ButtonInteraction<'cached' | 'raw'>, packId: string, ctx: HandlerContext): Promise<void> {
  const started = await ctx.useCases.startCheckout({
    packId,
    userId: interaction.user.id,
    guildId: interaction.guildId,
    returnUrl: `https://discord.com/channels/${interaction.guildId}/${interaction.channelId}`,
    idempotencyKey: interaction.id,
  });
  if (!started.ok) {
    if (started.error.code === 'checkout_unavailable')
      ctx.log.warn({ packId, userId: interaction.user.id, detail: started.error.detail }, 'could not create a checkout session');
    await interaction.editReply({ content: problemText[started.error.code] });
    return;
  }
  const { pack, session } = started.value;
  ctx.log.info({ packId, userId: interaction.user.id, guildId: interaction.guildId, sessionId: session.id }, 'checkout session created');
  const { url } = session;
  const intro =
    `**${pack.credits} credits for ${formatUsd(pack.priceUsd)}**: pay on Stripe’s secure page. ` +
    'The credits arrive as soon as the payment goes through, and I will tell you by DM. This link is made for you.';
  // A link button holds at most 512 characters; a longer URL goes in the text instead.
  await interaction.editReply(
    url.length <= maxButtonUrl
      ? {
          content: intro,
          components: [
            new ActionRowBuilder<ButtonBuilder>().addComponents(
              new ButtonBuilder()
                .setStyle(ButtonStyle.Link)
                .setURL(url)
                .setLabel(`Pay ${formatUsd(pack.priceUsd)} with card`),
            ),
          ],
        }
      : { content: `${intro}\n${url}` },
  );
}

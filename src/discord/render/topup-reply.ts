import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, type InteractionReplyOptions } from 'discord.js';
import { formatUsd } from '../../domain/pricing/format-breakdown.js';
import type { PackOffer } from '../../domain/pricing/packs.js';
import type { PriceCard } from '../../domain/pricing/price-card-schema.js';

/** A card button carries only the pack id; the session is made for whoever clicks it. */
export const stripeButtonId = (packId: string): string => `topup:stripe:${packId}`;

const maxRows = 5;
/** Discord's limit of fields in one embed. */
const maxFields = 25;
const buttonsPerRow = 5;

function rowsOf(buttons: ButtonBuilder[]): ActionRowBuilder<ButtonBuilder>[] {
  const rows = [];
  for (let i = 0; i < buttons.length; i += buttonsPerRow) rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(buttons.slice(i, i + buttonsPerRow)));
  return rows;
}

/**
 * `/topup`: every pack with its price and bulk discount, then the ways to buy: Discord's premium
 * button for packs sold as SKUs, a "Buy with card" button per pack when Stripe is configured.
 * With neither, how to get credits anyway.
 */
export function topupReply(
  card: PriceCard,
  offers: readonly PackOffer[],
  cardPayments: boolean,
): Pick<InteractionReplyOptions, 'content' | 'embeds' | 'components'> {
  const embed = new EmbedBuilder()
    .setTitle('Credit packs')
    .setDescription(`Top-up credits never expire, follow you to every server, and are spent last. Base rate: ${card.creditsPerDollar} credits = $1.`)
    .addFields(
      offers.slice(0, maxFields).map(({ pack, bonusCredits, discountPercent }) => ({
        name: `${pack.label ?? pack.id}: ${pack.credits} credits for ${formatUsd(pack.priceUsd)}`,
        value: discountPercent > 0 ? `${discountPercent}% off (+${bonusCredits} bonus credits)` : 'base rate',
        inline: true,
      })),
    );
  const premium = offers
    .filter(({ pack }) => pack.discordSkuId)
    .map(({ pack }) => new ButtonBuilder().setStyle(ButtonStyle.Premium).setSKUId(pack.discordSkuId!));
  const byCard = cardPayments
    ? offers.map(({ pack }) =>
        new ButtonBuilder()
          .setStyle(ButtonStyle.Primary)
          .setEmoji({ name: '💳' })
          .setCustomId(stripeButtonId(pack.id))
          .setLabel(`Buy ${pack.credits} with card · ${formatUsd(pack.priceUsd)}`),
      )
    : [];
  const components = [...rowsOf(premium), ...rowsOf(byCard)].slice(0, maxRows);
  if (components.length === 0) {
    return {
      content: 'Packs cannot be bought here yet. Ask a server admin: they can grant you credits, or ask the bot’s operator to turn on payments.',
      embeds: [embed],
      components: [],
    };
  }
  return { embeds: [embed], components };
}

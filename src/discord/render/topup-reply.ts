import { ButtonBuilder, ButtonStyle, EmbedBuilder, type InteractionReplyOptions } from 'discord.js';
import { buttonRows, maxRows } from './button-rows.js';
import { formatUsd } from '../../domain/pricing/format-breakdown.js';
import type { PackOffer } from '../../domain/pricing/packs.js';
import type { Pack, PriceCard } from '../../domain/pricing/price-card-schema.js';

/** A card button carries only the pack id; the session is made for whoever clicks it. */
export const stripeButtonId = (packId: string): string => `topup:stripe:${packId}`;

/** Discord's limit of fields in one embed. */
const maxFields = 25;

/**
 * Whether a pack costs the same whatever the member pays with. A pack sold in Discord's store
 * costs what Discord charges (its SKU's own price and currency), so it is also sold by card only
 * when the card says Discord's price is the card's own.
 */
const onePrice = (pack: Pack): boolean => pack.discordSkuId === undefined || pack.discordPrice === formatUsd(pack.priceUsd);

/** The one price a pack shows: the card's, Discord's as the card states it, or none (Discord shows it at checkout). */
const priceShown = (pack: Pack): string | null => (pack.discordSkuId === undefined ? formatUsd(pack.priceUsd) : (pack.discordPrice ?? null));

/**
 * `/topup`: every pack with its one price and bulk discount, then the ways to buy: Discord's
 * premium button for packs sold as SKUs, a "Buy with card" button per pack (at the same price)
 * when Stripe is configured. With neither, how to get credits anyway.
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
      offers.slice(0, maxFields).map(({ pack, bonusCredits, discountPercent }) => {
        const price = priceShown(pack);
        // The discount is the card's price against the base rate: said only where that is the price paid.
        const value = !onePrice(pack) ? "in Discord's store" : discountPercent > 0 ? `${discountPercent}% off (+${bonusCredits} bonus credits)` : 'base rate';
        return { name: `${pack.label ?? pack.id}: ${pack.credits} credits${price ? ` for ${price}` : ' (price shown by Discord)'}`, value, inline: true };
      }),
    );
  const premium = offers
    .filter(({ pack }) => pack.discordSkuId)
    .map(({ pack }) => new ButtonBuilder().setStyle(ButtonStyle.Premium).setSKUId(pack.discordSkuId!));
  const byCard = cardPayments
    ? offers
        .filter(({ pack }) => onePrice(pack))
        .map(({ pack }) =>
          new ButtonBuilder()
            .setStyle(ButtonStyle.Primary)
            .setEmoji({ name: '💳' })
            .setCustomId(stripeButtonId(pack.id))
            .setLabel(`Buy ${pack.credits} with card · ${formatUsd(pack.priceUsd)}`),
        )
    : [];
  const components = [...buttonRows(premium), ...buttonRows(byCard)].slice(0, maxRows);
  if (components.length === 0) {
    return {
      content: 'Packs cannot be bought here yet. Ask a server admin: they can grant you credits, or ask the bot’s operator to turn on payments.',
      embeds: [embed],
      components: [],
    };
  }
  return { embeds: [embed], components };
}

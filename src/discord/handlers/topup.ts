import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { formatUsd } from '../../domain/pricing/format-breakdown.js';
import { packOffers } from '../../domain/pricing/packs.js';
import type { BotDeps } from '../bot-deps.js';

/**
 * `/topup`: every pack with its price and bulk discount. Packs sold as Discord consumable SKUs
 * get Discord's own premium button (the purchase arrives as an entitlement); Stripe Checkout
 * links come next. With neither, the member learns to ask an admin.
 */
export async function handleTopup(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, deps: BotDeps): Promise<void> {
  const offers = packOffers(deps.card);
  if (offers.length === 0) {
    await interaction.reply({ content: 'This bot sells no credit packs. Ask a server admin about free credits and tiers.', flags: MessageFlags.Ephemeral });
    return;
  }
  const embed = new EmbedBuilder()
    .setTitle('Credit packs')
    .setDescription(`Top-up credits never expire, follow you to every server, and are spent last. Base rate: ${deps.card.creditsPerDollar} credits = $1.`)
    .addFields(offers.map(({ pack, bonusCredits, discountPercent }) => ({
      name: `${pack.label ?? pack.id}: ${pack.credits} credits for ${formatUsd(pack.priceUsd)}`,
      value: discountPercent > 0 ? `${discountPercent}% off (+${bonusCredits} bonus credits)` : 'base rate',
      inline: true,
    })));
  const buyable = offers.filter(({ pack }) => pack.discordSkuId);
  const rows = [];
  for (let i = 0; i < buyable.length; i += 5) {
    rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(buyable.slice(i, i + 5).map(({ pack }) =>
      new ButtonBuilder().setStyle(ButtonStyle.Premium).setSKUId(pack.discordSkuId!))));
  }
  const content = buyable.length === 0 ? 'Packs cannot be bought here yet: ask a server admin, who can grant credits.' : undefined;
  await interaction.reply({ ...(content ? { content } : {}), embeds: [embed], components: rows, flags: MessageFlags.Ephemeral });
}

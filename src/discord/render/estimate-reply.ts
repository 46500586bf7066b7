import { EmbedBuilder } from 'discord.js';
import { ESTIMATE_BUFFER_PERCENT, type Estimate } from '../../domain/pricing/estimate.js';
import { formatUsd } from '../../domain/pricing/format-breakdown.js';

const PACKS_SHOWN = 3;

export function renderEstimate(plan: Estimate, imagesPerDay: number, days: number, creditsPerDollar: number): EmbedBuilder {
  const usd = (credits: number) => formatUsd(credits / creditsPerDollar);
  const tierLines = plan.tiers.map(({ tier, credits, covers }) =>
    `${covers ? '✅' : '➖'} **${tier.label}**: ${credits} credits over ${days} days with free credits${covers ? ' — covers it' : ` — ${plan.totalCredits - credits} short`}`);
  const packLines = plan.packs.slice(0, PACKS_SHOWN).map(({ pack, quantity, credits, priceUsd }) =>
    `${quantity} × ${pack.label ?? pack.id} = ${credits} credits for **${formatUsd(priceUsd)}**`);
  return new EmbedBuilder()
    .setTitle(`${plan.totalCredits} credits (${usd(plan.totalCredits)}) for ${imagesPerDay} image${imagesPerDay === 1 ? '' : 's'} a day × ${days} day${days === 1 ? '' : 's'}`)
    .setDescription([
      `${imagesPerDay} × ${days} = ${plan.images} images × ${plan.unitPrice} credits (${plan.model} ${plan.size}) = ${plan.baseCredits} credits`,
      `+ ${ESTIMATE_BUFFER_PERCENT}% buffer for re-rolls and retries = **${plan.totalCredits} credits** (${usd(plan.totalCredits)})`,
      `Free daily credits pay for ${plan.freeCredits} of it. Batches of several images cost less per image.`,
    ].join('\n'))
    .addFields(
      { name: 'Tiers that cover it (lowest first)', value: tierLines.join('\n').slice(0, 1024) || `No tier with an allowance may use ${plan.model}.` },
      { name: 'Or buy packs (cheapest first)', value: packLines.join('\n') || (plan.packs.length === 0 && plan.freeCredits >= plan.totalCredits ? 'Not needed: free daily credits cover it.' : 'No packs are sold on this bot.') },
    )
    .setFooter({ text: `${plan.model} needs at least the ${plan.lowestTier.label} tier.` });
}

import { EmbedBuilder } from 'discord.js';
import { ESTIMATE_BUFFER_PERCENT, type Estimate } from '../../domain/pricing/estimate.js';
import { formatUsd } from '../../domain/pricing/format-breakdown.js';

export function renderEstimate(plan: Estimate, imagesPerDay: number, days: number, creditsPerDollar: number): EmbedBuilder {
  const usd = (credits: number) => formatUsd(credits / creditsPerDollar);
  const tierLines = plan.tiers.map(
    ({ tier, credits, covers }) =>
      `${covers ? '✅' : '➖'} **${tier.label}**: ${credits} credits over ${days} days with free credits${covers ? ' — covers it' : ` — ${plan.totalCredits - credits} short`}`,
  );
  const packLine =
    plan.packs && plan.packs.items.length > 0
      ? `${plan.packs.items.map(({ pack, quantity }) => `${quantity} × ${pack.label ?? pack.id}`).join(' + ')} = ${plan.packs.credits} credits for **${formatUsd(plan.packs.priceUsd)}**`
      : '';
  return new EmbedBuilder()
    .setTitle(
      `${plan.totalCredits} credits (${usd(plan.totalCredits)}) for ${imagesPerDay} image${imagesPerDay === 1 ? '' : 's'} a day × ${days} day${days === 1 ? '' : 's'}`,
    )
    .setDescription(
      [
        `${imagesPerDay} × ${days} = ${plan.images} images × ${plan.unitPrice} credits (${plan.model} ${plan.size}) = ${plan.baseCredits} credits`,
        `+ ${ESTIMATE_BUFFER_PERCENT}% buffer for re-rolls and retries = **${plan.totalCredits} credits** (${usd(plan.totalCredits)})`,
        `Free daily credits pay for ${plan.freeCredits} of it. Batches of several images cost less per image.`,
      ].join('\n'),
    )
    .addFields(
      { name: 'Tiers that cover it (lowest first)', value: tierLines.join('\n').slice(0, 1024) || `No tier with an allowance may use ${plan.model}.` },
      {
        name: 'Or buy packs (the cheapest mix)',
        value: packLine || (plan.freeCredits >= plan.totalCredits ? 'Not needed: free daily credits cover it.' : 'No packs are sold on this bot.'),
      },
    )
    .setFooter({ text: plan.everyMemberMayUse ? `Every member may use ${plan.model}.` : `${plan.model} needs the ${plan.lowestTier.label} tier or higher.` });
}

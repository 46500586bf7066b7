import { ButtonBuilder, ButtonStyle, EmbedBuilder, type InteractionReplyOptions } from 'discord.js';
import { buttonRows, maxRows } from './button-rows.js';
import { formatUsd } from '../../domain/pricing/format-breakdown.js';
import type { PriceCard } from '../../domain/pricing/price-card-schema.js';
import type { SoldPlan } from '../../domain/subscriptions/plans.js';
import { periodUnit, planPrice } from './plan-text.js';

/** A card button carries only the plan id; the checkout is made for whoever clicks it. */
export const planCardButtonId = (planId: string): string => `subscribe:card:${planId}`;
/** Opens the member's own billing portal (card plans): change or cancel. */
export const billingPortalButtonId = 'subscribe:portal';

/** Discord's limit of fields in one embed. */
const maxFields = 25;

/**
 * `/subscribe`: each sold tier with what it gives and its plans' prices, then the ways to buy:
 * Discord's premium button for plans sold as subscription SKUs, a card button per plan when
 * Stripe is configured (and the billing portal to cancel one). With neither, how to get a tier anyway.
 */
export function subscribeReply(
  card: PriceCard,
  plans: readonly SoldPlan[],
  cardPayments: boolean,
): Pick<InteractionReplyOptions, 'content' | 'embeds' | 'components'> {
  const tiers = card.tiers.filter((tier) => tier.plans.length > 0);
  const embed = new EmbedBuilder()
    .setTitle('Plans')
    .setDescription(
      [
        "A plan gives you its tier in every server, and the tier's credits at once for each period you pay: a yearly plan grants the whole year up front.",
        'Periods start on the day you buy and renew then; unspent credits expire at the next renewal' +
          (tiers.some((tier) => tier.rolloverPeriods > 0) ? ' (or later, where a tier rolls over).' : '.'),
        'A better plan mid-period adds the difference at once; a lower one starts at your next renewal. Cancel any time: the tier lasts to the end of the period you paid for.',
      ].join('\n'),
    )
    .addFields(
      tiers.slice(0, maxFields).map((tier) => ({
        name: `${tier.label}: ${tier.allowance.toLocaleString('en-US')} credits / ${periodUnit[tier.period]}`,
        value: [
          tier.plans.map((plan) => planPrice(tier, plan)).join('\n'),
          `Batches up to ${tier.maxBatch} · ${tier.queuePriority} queue · ${tier.maxRunningJobs} jobs at once`,
        ].join('\n'),
        inline: true,
      })),
    );
  const premium = plans
    .filter(({ plan }) => plan.discordSkuId)
    .map(({ plan }) => new ButtonBuilder().setStyle(ButtonStyle.Premium).setSKUId(plan.discordSkuId!));
  const byCard = cardPayments
    ? plans.map(({ id, tier, plan }) =>
        new ButtonBuilder()
          .setStyle(ButtonStyle.Primary)
          .setEmoji({ name: '💳' })
          .setCustomId(planCardButtonId(id))
          .setLabel(`${tier.label} · ${formatUsd(plan.priceUsd)} / ${plan.interval}`),
      )
    : [];
  const portal = cardPayments ? [new ButtonBuilder().setStyle(ButtonStyle.Secondary).setCustomId(billingPortalButtonId).setLabel('Manage card plan')] : [];
  const components = [...buttonRows(premium), ...buttonRows([...byCard, ...portal])].slice(0, maxRows);
  if (components.length === 0) {
    return {
      content: 'Plans cannot be bought here yet. Ask a server admin: they can give a role a tier, or ask the bot’s operator to turn on payments.',
      embeds: [embed],
      components: [],
    };
  }
  const note = premium.length > 0 ? 'Plans bought in Discord are managed (and cancelled) in Discord: User Settings → Subscriptions.' : undefined;
  return { ...(note ? { content: note } : {}), embeds: [embed], components };
}

// /pricing: the whole price card as embed sections (see embed-budget.ts for fitting them).
import type { APIEmbed } from 'discord.js';
import { formatNumber, formatUsd } from '../../domain/pricing/format-breakdown.js';
import { packOffers } from '../../domain/pricing/packs.js';
import { planEdit } from '../../domain/edits/edit-geometry.js';
import type { ImageEdit } from '../../domain/edits/image-edit.js';
import type { Operation } from '../../domain/pricing/card-terms.js';
import type { ModelSpec, PriceCard, Tier } from '../../domain/pricing/price-card-schema.js';
import { quote } from '../../domain/pricing/quote.js';
import { formatSize, parseSize } from '../../domain/pricing/sizes.js';
import { tierAllowsModel } from '../../domain/tiers.js';
import { laneLabel, tierLanes } from '../../domain/lanes/lanes.js';
import { periodUnit, planPrice } from './plan-text.js';
import { packEmbeds, type EmbedSection } from './embed-budget.js';

const BLURPLE = 0x5865f2;
/** Sizes members ask for most; each model shows those it allows, filled up from its own list. */
const COMMON_SIZES = ['512x512', '1024x1024', '1024x1536', '1536x1024'];
const SIZES_SHOWN = 3;
/** One reply and a few follow-ups; a card bigger than that is cut with a note. */
const MAX_PRICING_MESSAGES = 5;

function sizesToShow(spec: ModelSpec): string[] {
  const common = COMMON_SIZES.filter((size) => spec.sizes.includes(size));
  return [...new Set([...common, ...spec.sizes])].slice(0, SIZES_SHOWN);
}

function modelField(card: PriceCard, name: string, spec: ModelSpec) {
  const tiers = card.tiers.filter((tier) => tierAllowsModel(tier, spec));
  const lowest = tiers[0];
  const prices = !lowest
    ? []
    : !spec.operations.includes('txt2img')
      ? editExamples(card, name, spec, lowest)
      : sizesToShow(spec).flatMap((size) => {
          const priced = quote(card, { model: name, size }, lowest);
          return priced.ok ? [`${size}: **${priced.value.unitPrice}** (${formatUsd(priced.value.usd)})`] : [];
        });
  return {
    name: `${name} — ${spec.label}`,
    value: [
      prices.join(' · ') || 'no tier may use it',
      `${formatNumber(spec.baseCreditsPerMegapixel, 6)} credits/MP at ${spec.defaultSteps} steps (max ${spec.maxSteps}) · ${spec.operations.join(', ')}`,
      `Tiers: ${tiers.map((tier) => tier.label).join(', ') || 'none'}`,
    ].join('\n'),
  };
}

/** An edit model has no price per size: its examples are a 2× zoom and a quarter repainted, of its first size. */
function editExamples(card: PriceCard, name: string, spec: ModelSpec, tier: Tier): string[] {
  const size = parseSize(spec.sizes[0] ?? '');
  if (!size) return [];
  const source = { sourceWidth: size.width, sourceHeight: size.height };
  const examples: [Operation, string, ImageEdit][] = [
    ['outpaint', `Zoom Out 2× of ${formatSize(size)}`, { kind: 'zoom', factor: 2, ...source }],
    ['inpaint', 'a quarter of it repainted', { kind: 'region', region: 'top-left', ...source }],
  ];
  return examples.flatMap(([operation, label, edit]) => {
    const plan = planEdit(edit);
    if (!spec.operations.includes(operation) || !plan.ok) return [];
    const priced = quote(card, { model: name, operation, edit: { canvas: plan.value.canvas, pricedPixels: plan.value.pricedPixels } }, tier);
    return priced.ok ? [`${label}: **${priced.value.unitPrice}** (${formatUsd(priced.value.usd)})`] : [];
  });
}

/** `freeDailyCredits`: what this server gives (its setting under the operator's ceiling), not the card's default. */
export function pricingSections(card: PriceCard, freeDailyCredits: number): EmbedSection[] {
  const rate = card.creditsPerDollar;
  const batchLines = card.batch.map(({ count, multiplier }) => {
    const perImage = multiplier / count;
    const off = Math.round((1 - perImage) * 1000) / 10;
    return `${count} image${count === 1 ? '' : 's'}: ×${formatNumber(multiplier, 3)}${off > 0 ? ` (${formatNumber(off, 1)}% off each)` : ''}`;
  });
  const offers = packOffers(card);
  return [
    {
      title: 'Price card',
      color: BLURPLE,
      description: [
        `**${rate} credits = $1.00** (1 credit = ${formatUsd(1 / rate)}).`,
        freeDailyCredits > 0
          ? `Free on this server: **${freeDailyCredits}** credits a day (UTC), gone at the next midnight.`
          : 'This server gives no free daily credits.',
        'Price = ⌈credits/MP × megapixels × steps/default steps × operation factor × lane factor × batch multiplier(n)⌉: exact, rounded up once at the end.',
        'Speed lanes (your tier says which, below): **Relax** waits behind paying jobs, heavier recent Relax users wait longer, one job at a time; **Fast** is the standard queue; **Turbo** runs before every Fast job. Pick one per /imagine (`lane`) or a default in /settings.',
        'Every /imagine shows its price and breakdown before anything runs, unless you turned on auto-confirm in /settings: then a job under your threshold starts at once, and the reply says what it held.',
      ].join('\n'),
    },
    {
      title: 'Models (credits per image)',
      color: BLURPLE,
      fields: Object.entries(card.models).map(([name, spec]) => modelField(card, name, spec)),
    },
    {
      title: 'Operations and batches',
      color: BLURPLE,
      fields: [
        {
          name: 'Operation factors',
          value: Object.entries(card.operationFactors)
            .map(([op, factor]) => `${op} ×${formatNumber(factor, 6)}`)
            .join('\n'),
          inline: true,
        },
        {
          name: 'Edits',
          value: 'Zoom Out and Pan (outpaint) are priced on the megapixels they add; Vary (Region) (inpaint) on the megapixels it repaints.',
          inline: true,
        },
        { name: 'Batch multipliers', value: batchLines.join('\n'), inline: true },
      ],
    },
    {
      title: 'Tiers',
      color: BLURPLE,
      description: [
        'Your tier comes from roles server admins map, or from a plan (/subscribe); the best you have applies.',
        card.welcomeCredits > 0 ? `Everyone gets ${card.welcomeCredits} welcome credits once, the first time they use the bot; they never expire.` : '',
      ]
        .filter(Boolean)
        .join('\n'),
      fields: card.tiers.map((tier) => ({
        name: tier.label,
        value: [
          tier.allowance > 0
            ? `${tier.allowance} credits / ${periodUnit[tier.period]}${tier.rolloverPeriods > 0 ? `, unspent rolls over ${tier.rolloverPeriods} period${tier.rolloverPeriods === 1 ? '' : 's'}` : ', unspent expires at period end'}`
            : 'free daily credits only',
          `Models: ${
            Object.entries(card.models)
              .filter(([, spec]) => tierAllowsModel(tier, spec))
              .map(([name]) => name)
              .join(', ') || 'none'
          }`,
          `Max batch ${tier.maxBatch} · ${tier.maxRunningJobs} job${tier.maxRunningJobs === 1 ? '' : 's'} at once · ${tier.queuePriority} queue`,
          `Lanes: ${tierLanes(tier)
            .map(({ lane, factor }) => `${laneLabel[lane]} ${factor === 0 ? 'free' : `${formatNumber(factor, 6)}×`}`)
            .join(' · ')}`,
          ...(tier.plans.length > 0 ? [`Plans: ${tier.plans.map((plan) => planPrice(tier, plan)).join(' · ')}`] : []),
        ].join('\n'),
        inline: true,
      })),
    },
    {
      title: 'Top-up packs',
      color: BLURPLE,
      description: offers.length
        ? 'Bought credits never expire, follow you to every server and are spent last. Buy with /topup.'
        : 'No packs are sold on this bot.',
      fields: offers.map(({ pack, bonusCredits, discountPercent }) => ({
        name: `${pack.label ?? pack.id}: ${pack.credits} credits for ${formatUsd(pack.priceUsd)}`,
        value: discountPercent > 0 ? `${formatNumber(discountPercent, 1)}% off (+${bonusCredits} bonus credits)` : 'base rate',
        inline: true,
      })),
    },
    {
      title: 'Refunds and moderation',
      color: BLURPLE,
      description: [
        'Confirming a job holds its price; you are charged only for images delivered.',
        '**Failed or safety-blocked images are refunded** to the credits they came from; a partly failed batch refunds the failed images’ share.',
        'Prompts refused by this server’s moderation rules cost nothing.',
      ].join('\n'),
    },
  ];
}

/** The card as messages of embeds, each within Discord's limits. */
export const renderPricing = (card: PriceCard, freeDailyCredits: number): APIEmbed[][] =>
  packEmbeds(
    pricingSections(card, freeDailyCredits),
    'The price card is longer than Discord can show here; the rest is in the operator’s price-card.yaml.',
    MAX_PRICING_MESSAGES,
  );

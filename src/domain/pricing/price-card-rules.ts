import type * as z from 'zod';
import { allowancePeriodsIn } from '../subscriptions/plans.js';
import { LANES, NO_TIER, PLAN_INTERVALS, type TierPeriod } from './card-terms.js';
import { compare, fraction, fractionOf, multiply } from './decimal.js';
import type { PriceCardShape } from './price-card-schema.js';

type Issue = { readonly path: readonly (string | number)[]; readonly message: string };
type ModelFields = { defaultSteps: number; maxSteps: number; sizes: readonly string[]; operations: readonly string[] };

const duplicates = (values: readonly string[]): string[] => values.filter((v, i) => values.indexOf(v) !== i);

/** Rules within one model; they run even when other parts of the card are broken. */
export function checkModel(model: ModelFields, ctx: z.RefinementCtx): void {
  if (model.defaultSteps > model.maxSteps) {
    ctx.addIssue({ code: 'custom', path: ['defaultSteps'], message: `must be ≤ maxSteps (${model.maxSteps})` });
  }
  for (const key of ['sizes', 'operations'] as const) {
    for (const dup of duplicates(model[key])) {
      ctx.addIssue({ code: 'custom', path: [key], message: `lists "${dup}" more than once` });
    }
  }
}

/** Rules that relate parts of the card; they run once every part has the right shape. */
export function checkPriceCard(card: PriceCardShape, ctx: z.RefinementCtx): void {
  for (const issue of [...tierIssues(card), ...laneIssues(card), ...planIssues(card), ...batchIssues(card), ...packIssues(card)]) {
    ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
  }
}

function tierIssues(card: PriceCardShape): Issue[] {
  const issues: Issue[] = [];
  const names = card.tiers.map((t) => t.name);
  const models = Object.entries(card.models);
  const classes = [...new Set(models.map(([, m]) => m.class))];
  if (names[0] !== NO_TIER) {
    const message = names.includes(NO_TIER)
      ? `the "${NO_TIER}" tier must come first (tiers are listed from lowest to best)`
      : `a tier named "${NO_TIER}" is required (members without a tier role), listed first`;
    issues.push({ path: ['tiers', 0, 'name'], message });
  }
  if (models.length === 0) issues.push({ path: ['models'], message: 'at least one model is required' });
  for (const dup of duplicates(names)) {
    issues.push({ path: ['tiers'], message: `tier name "${dup}" is used more than once` });
  }
  const lastBatch = card.batch.at(-1)?.count ?? 1;
  card.tiers.forEach((tier, i) => {
    tier.modelClasses.forEach((cls, j) => {
      if (!classes.includes(cls)) {
        const message = `no model has class "${cls}" (model classes: ${classes.join(', ') || 'none'})`;
        issues.push({ path: ['tiers', i, 'modelClasses', j], message });
      }
    });
    if (tier.maxBatch > lastBatch) {
      const message = `${tier.maxBatch} is more than the batch table's largest count (${lastBatch})`;
      issues.push({ path: ['tiers', i, 'maxBatch'], message });
    }
    const usable = models.filter(([, m]) => tier.modelClasses.includes(m.class));
    for (const [modelName, model] of usable.filter(([, m]) => m.defaultSteps > (tier.maxSteps ?? Infinity))) {
      const message = `${tier.maxSteps} is below the default steps of ${modelName} (${model.defaultSteps}), ` + 'so its default could not run';
      issues.push({ path: ['tiers', i, 'maxSteps'], message });
    }
  });
  for (const [modelName, model] of models) {
    if (!card.tiers.some((t) => t.modelClasses.includes(model.class))) {
      const message = `no tier lists class "${model.class}" in its modelClasses, so no member could use this model`;
      issues.push({ path: ['models', modelName, 'class'], message });
    }
  }
  return issues;
}

/** Every tier offers a lane, and a faster lane never costs less than a slower one. */
function laneIssues(card: PriceCardShape): Issue[] {
  const issues: Issue[] = [];
  card.tiers.forEach((tier, i) => {
    const offered = LANES.flatMap((lane) => (tier.lanes[lane] === undefined ? [] : [{ lane, factor: tier.lanes[lane] }]));
    if (offered.length === 0) issues.push({ path: ['tiers', i, 'lanes'], message: 'must offer at least one lane (relax, fast or turbo)' });
    offered.forEach((current, j) => {
      const slower = offered[j - 1];
      if (slower && current.factor < slower.factor) {
        const message = `${current.factor}× is less than ${slower.lane}'s ${slower.factor}×: a faster lane never costs less`;
        issues.push({ path: ['tiers', i, 'lanes', current.lane], message });
      }
    });
  });
  return issues;
}

/** Plans sell a tier: never the free one, one per interval, periods that divide the interval, one SKU per thing sold. */
function planIssues(card: PriceCardShape): Issue[] {
  const issues: Issue[] = [];
  const skuOwners = new Map<string, string>();
  for (const pack of card.packs) if (pack.discordSkuId !== undefined) skuOwners.set(pack.discordSkuId, `pack "${pack.id}"`);
  card.tiers.forEach((tier, i) => {
    if (i === 0 && tier.plans.length > 0) issues.push({ path: ['tiers', i, 'plans'], message: `the "${tier.name}" tier is everyone's: it cannot be sold` });
    if (i > 0 && tier.plans.length > 0 && tier.allowance === 0) {
      issues.push({ path: ['tiers', i, 'plans'], message: 'a tier with an allowance of 0 would sell no credits; give it an allowance or no plans' });
    }
    for (const dup of duplicates(tier.plans.map((plan) => plan.interval))) {
      issues.push({ path: ['tiers', i, 'plans'], message: `more than one ${dup}ly plan: one plan per interval` });
    }
    tier.plans.forEach((plan, j) => {
      if (allowancePeriodsIn(plan.interval, tier.period) === undefined) {
        const message = `a ${plan.interval}ly plan cannot sell a ${tier.period} allowance (it does not divide evenly); use ${validIntervals(tier.period)}`;
        issues.push({ path: ['tiers', i, 'plans', j, 'interval'], message });
      }
      if (plan.discordPrice !== undefined && plan.discordSkuId === undefined) {
        issues.push({ path: ['tiers', i, 'plans', j, 'discordPrice'], message: 'is shown beside the Discord button, so it needs a discordSkuId' });
      }
      if (plan.discordSkuId !== undefined) {
        const owner = skuOwners.get(plan.discordSkuId);
        if (owner) issues.push({ path: ['tiers', i, 'plans', j, 'discordSkuId'], message: `is already the SKU of ${owner}: one SKU sells one thing` });
        skuOwners.set(plan.discordSkuId, `the ${tier.name} ${plan.interval}ly plan`);
      }
    });
  });
  return issues;
}

const validIntervals = (period: TierPeriod): string =>
  PLAN_INTERVALS.filter((interval) => allowancePeriodsIn(interval, period) !== undefined).join(' or ') || 'a weekly or monthly tier period';

function batchIssues(card: PriceCardShape): Issue[] {
  const issues: Issue[] = [];
  const [first] = card.batch;
  if (first?.count !== 1 || first.multiplier !== 1) {
    issues.push({ path: ['batch', 0], message: 'must be { count: 1, multiplier: 1 } (one image costs its unit price)' });
  }
  card.batch.forEach((entry, i) => {
    const previous = card.batch[i - 1];
    if (!previous) return;
    if (entry.count <= previous.count) {
      issues.push({ path: ['batch', i, 'count'], message: `must be more than the count before it (${previous.count})` });
    } else if (entry.multiplier < previous.multiplier) {
      const message = `must be ≥ the multiplier before it (${previous.multiplier}): a bigger batch never costs less in total`;
      issues.push({ path: ['batch', i, 'multiplier'], message });
    } else if (perImageRises(previous, entry)) {
      const message =
        `${entry.multiplier}/${entry.count} per image is more than ${previous.multiplier}/${previous.count}: ` + 'a bigger batch never costs more per image';
      issues.push({ path: ['batch', i, 'multiplier'], message });
    }
  });
  return issues;
}

type Entry = { count: number; multiplier: number };
// Compared as exact fractions: 1.5/2 and 3/4 are equal, which floats may not agree on.
const perImage = (e: Entry) => multiply(fractionOf(e.multiplier), fraction(1n, BigInt(e.count)));
const perImageRises = (a: Entry, b: Entry): boolean => compare(perImage(b), perImage(a)) > 0;

function packIssues(card: PriceCardShape): Issue[] {
  const issues: Issue[] = [];
  for (const dup of duplicates(card.packs.map((p) => p.id))) {
    issues.push({ path: ['packs'], message: `pack id "${dup}" is used more than once` });
  }
  const skus = card.packs.flatMap((p) => (p.discordSkuId === undefined ? [] : [p.discordSkuId]));
  for (const dup of duplicates(skus)) {
    issues.push({ path: ['packs'], message: `discordSkuId "${dup}" is used by more than one pack` });
  }
  card.packs.forEach((pack, i) => {
    const nominal = multiply(fractionOf(pack.priceUsd), fraction(BigInt(card.creditsPerDollar)));
    if (compare(nominal, fraction(BigInt(pack.credits))) > 0) {
      const message = `$${pack.priceUsd} for ${pack.credits} credits is worse than the base rate ` + `of ${card.creditsPerDollar} credits per $1`;
      issues.push({ path: ['packs', i, 'priceUsd'], message });
    }
  });
  return issues;
}

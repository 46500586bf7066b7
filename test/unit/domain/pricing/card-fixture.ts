import { formatProblem, parsePriceCard } from '../../../../src/domain/pricing/parse-price-card.js';
import type { PriceCard, Tier } from '../../../../src/domain/pricing/price-card-schema.js';

const sizes = ['1024x1024', '1000x1000', '1344x768', '768x1344', '1216x832'];

/** A small valid card as it comes out of YAML; numbers chosen so prices are easy to check by hand. */
export const rawCard = () => ({
  creditsPerDollar: 100,
  freeDailyCredits: 20,
  operationFactors: { txt2img: 1, img2img: 1.1, upscale: 0.5, variation: 1 },
  batch: [
    { count: 1, multiplier: 1 },
    { count: 2, multiplier: 1.8 },
    { count: 3, multiplier: 2.5 },
    { count: 4, multiplier: 3 },
    { count: 8, multiplier: 5.5 },
    { count: 16, multiplier: 10 },
  ],
  models: {
    schnell: model('fast', 1.5, 4, 4, ['txt2img', 'variation']),
    sdxl: model('quality', 4, 30, 50, ['txt2img', 'img2img', 'upscale', 'variation']),
    dev: model('premium', 12, 28, 50, ['txt2img', 'img2img', 'variation']),
    pro: model('ultra', 110, 10, 20, ['txt2img', 'img2img']),
  },
  tiers: [
    tier('none', ['fast'], 1, 1, 'standard'),
    { ...tier('starter', ['fast', 'quality'], 4, 2, 'standard'), maxSteps: 40 },
    tier('pro', ['fast', 'quality', 'premium'], 8, 4, 'priority'),
    tier('ultra', ['fast', 'quality', 'premium', 'ultra'], 16, 8, 'fastest'),
  ],
  packs: [
    { id: 'small', credits: 500, priceUsd: 5, discordSkuId: '1234567890123456789' },
    { id: 'medium', credits: 1200, priceUsd: 10 },
  ],
});

function model(cls: string, base: number, defaultSteps: number, maxSteps: number, operations: string[]) {
  const label = `Model ${cls}`;
  return { label, providerModelId: `acme/${cls}`, class: cls, baseCreditsPerMegapixel: base, defaultSteps, maxSteps, sizes: [...sizes], operations };
}

function tier(name: string, modelClasses: string[], maxBatch: number, maxRunningJobs: number, queuePriority: string) {
  const label = name[0]?.toUpperCase() + name.slice(1);
  return { name, label, allowance: 100, period: 'weekly', modelClasses, maxBatch, maxRunningJobs, queuePriority };
}

export type RawCard = ReturnType<typeof rawCard>;

/** The fixture card, parsed; fails the test if it does not parse. */
export function testCard(edit?: (raw: RawCard) => void): PriceCard {
  const raw = rawCard();
  edit?.(raw);
  const result = parsePriceCard(raw, 'test-card');
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** Sets (or with `undefined`, deletes) the value at a dotted path such as `tiers.1.maxBatch`, whatever its type. */
export function setAt(target: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let node = target as Record<string, unknown>;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** The `path: reason` lines for a fixture card changed by `edit`; empty when it is still valid. */
export function problemsAfter(edit: (raw: RawCard) => void): string[] {
  const raw = rawCard();
  edit(raw);
  const result = parsePriceCard(raw, 'test-card');
  return result.ok ? [] : result.error.problems.map(formatProblem);
}

/** A tier of the card by name; fails the test when the card lacks it. */
export function tierOf(card: PriceCard, name: string): Tier {
  const tier = card.tiers.find((t) => t.name === name);
  if (!tier) throw new Error(`No tier ${name}`);
  return tier;
}

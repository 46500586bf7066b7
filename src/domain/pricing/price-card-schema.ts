import * as z from 'zod';
import { OPERATIONS, PLAN_INTERVALS, QUEUE_PRIORITIES, TIER_PERIODS } from './card-terms.js';
import { MAX_DECIMAL_PLACES, decimalPlaces } from './decimal.js';
import { checkModel, checkPriceCard } from './price-card-rules.js';
import { sizeProblem } from './sizes.js';

const name = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be 1–32 lowercase letters, digits, "-" or "_"');
const label = z.string().trim().min(1).max(100);
const count = z.int().positive();
const atMostPlaces = (places: number, message: string) => (schema: z.ZodNumber) => schema.refine((v) => decimalPlaces(v) <= places, message);
const exactDecimal = atMostPlaces(MAX_DECIMAL_PLACES, `must have at most ${MAX_DECIMAL_PLACES} decimal places`);
const decimal = exactDecimal(z.number().positive().max(1_000_000));
const usd = atMostPlaces(2, 'must be in whole cents (at most 2 decimal places)')(z.number().nonnegative().max(100_000));
/** Provider costs run to fractions of a cent ($0.003 per image). */
const providerUsd = exactDecimal(z.number().nonnegative().max(1_000));
const size = z.string().superRefine((text, ctx) => {
  const problem = sizeProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const snowflake = z
  .string({
    // YAML reads an unquoted 19-digit id as a float and silently changes its last digits.
    error: (issue) => (typeof issue.input === 'number' ? 'must be in quotes: unquoted, YAML rounds an id this long' : undefined),
  })
  .regex(/^\d{17,20}$/, 'must be a Discord snowflake: 17–20 digits, in quotes');

export const modelSchema = z
  .strictObject({
    label,
    /** Replicate "owner/name", optionally ":version" (64 hex digits). */
    providerModelId: z.string().regex(/^[\w.-]+\/[\w.-]+(:[0-9a-f]{64})?$/, 'must look like "owner/name" or "owner/name:<64 hex version>"'),
    class: name,
    baseCreditsPerMegapixel: decimal,
    defaultSteps: count.max(500),
    maxSteps: count.max(500),
    sizes: z.array(size).min(1).readonly(),
    operations: z.array(z.enum(OPERATIONS)).min(1).readonly(),
    usdPerImage: providerUsd.optional(),
  })
  .superRefine(checkModel)
  .readonly();

/** What Discord's store charges for a SKU, as members see it there (e.g. "$4.99"): the bot cannot read it. */
const discordPrice = z.string().trim().min(1).max(20);

/**
 * A tier sold as a plan that renews every `interval` (Discord subscription SKU, Stripe
 * subscription). Each paid period grants the tier's allowance for that long at once: a yearly
 * plan of a weekly tier grants 52 weeks' credits up front.
 */
export const planSchema = z
  .strictObject({
    interval: z.enum(PLAN_INTERVALS),
    priceUsd: usd.refine((v) => v > 0, 'must be more than 0'),
    /** The Discord subscription SKU of this plan (a user or a guild subscription), quoted. */
    discordSkuId: snowflake.optional(),
    discordPrice: discordPrice.optional(),
  })
  .readonly();

/** Lane price factors: Relax may be free (0×); Fast and Turbo always cost something. */
const laneFactor = exactDecimal(z.number().positive().max(100));
export const lanesSchema = z
  .strictObject({
    relax: exactDecimal(z.number().nonnegative().max(100)).optional(),
    fast: laneFactor.optional(),
    turbo: laneFactor.optional(),
  })
  .readonly();

export const tierSchema = z
  .strictObject({
    name,
    label,
    allowance: z.int().nonnegative(),
    period: z.enum(TIER_PERIODS),
    /** How many further periods an unspent allowance stays usable; 0 = expires at period end. */
    rolloverPeriods: z.int().nonnegative().max(12).default(0),
    modelClasses: z.array(name).readonly(),
    maxBatch: count,
    maxSteps: count.max(500).optional(),
    maxRunningJobs: count.max(100),
    queuePriority: z.enum(QUEUE_PRIORITIES),
    /** The speed lanes this tier offers and each one's price factor. @defaultValue Fast at 1× only */
    lanes: lanesSchema.default({ fast: 1 }),
    /** Plans that sell this tier; none: the tier is given only by role mappings. */
    plans: z.array(planSchema).max(PLAN_INTERVALS.length).readonly().default([]),
  })
  .readonly();

export const packSchema = z
  .strictObject({
    id: name,
    label: label.optional(),
    credits: count,
    priceUsd: usd.refine((v) => v > 0, 'must be more than 0'),
    discordSkuId: snowflake.optional(),
    /**
     * What Discord's store charges for the SKU, as members see it there (e.g. "$4.99"): Discord
     * sets the SKU's price and currency, and the bot cannot read it. Without it, /topup shows no
     * price beside the Discord button rather than a different one.
     */
    discordPrice: discordPrice.optional(),
  })
  .readonly();

export const batchEntrySchema = z.strictObject({ count, multiplier: decimal }).readonly();

export const priceCardShape = z.strictObject({
  creditsPerDollar: count,
  freeDailyCredits: z.int().nonnegative(),
  /** Credits every member gets once, the first time they use the bot anywhere; they never expire. */
  welcomeCredits: z.int().nonnegative().max(1_000_000).default(50),
  operationFactors: z
    .strictObject({
      txt2img: decimal,
      img2img: decimal,
      upscale: decimal,
      variation: decimal,
      // Edits came later: a card written before them still parses, pricing them at factor 1.
      inpaint: decimal.default(1),
      outpaint: decimal.default(1),
    })
    .readonly(),
  batch: z.array(batchEntrySchema).min(1).readonly(),
  models: z.record(name, modelSchema).readonly(),
  tiers: z.array(tierSchema).min(1).readonly(),
  packs: z.array(packSchema).readonly(),
});

export const priceCardSchema = priceCardShape.superRefine(checkPriceCard).readonly();

export type PriceCard = z.infer<typeof priceCardSchema>;
export type PriceCardShape = z.infer<typeof priceCardShape>;
export type ModelSpec = z.infer<typeof modelSchema>;
export type Tier = z.infer<typeof tierSchema>;
export type Pack = z.infer<typeof packSchema>;
export type Plan = z.infer<typeof planSchema>;
export type TierLanes = z.infer<typeof lanesSchema>;
export type BatchEntry = z.infer<typeof batchEntrySchema>;

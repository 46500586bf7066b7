// /estimate: the planning formula (images per day × days × unit price, plus a buffer) and what
// covers it — free daily credits (the server's amount), tier allowances, and the cheapest
// combination of top-up packs.
import { err, ok, type Result } from '../result.js';
import { noTier, tierAllowsModel } from '../tiers.js';
import { closestKey } from './card-issue-messages.js';
import { cheapestPacks, type PackPurchase } from './cheapest-packs.js';
import type { PriceCard, Tier } from './price-card-schema.js';
import { quote } from './quote.js';

/** Plans run over; a buffer keeps re-rolls and retries from running a member dry. */
export const ESTIMATE_BUFFER_PERCENT = 25;
export const ESTIMATE_LIMITS = { imagesPerDay: { min: 1, max: 1000 }, days: { min: 1, max: 365 } } as const;

export interface EstimateRequest {
  readonly imagesPerDay: number;
  readonly days: number;
  /** @defaultValue the default model of members without a tier */
  readonly model?: string | undefined;
  readonly size?: string | undefined;
  /** The member's server's free daily credits. @defaultValue the card's freeDailyCredits */
  readonly freeDailyCredits?: number | undefined;
}

export interface TierCoverage {
  readonly tier: Tier;
  /** Free daily credits plus the tier's allowance over the plan's days. */
  readonly credits: number;
  readonly covers: boolean;
}

export interface Estimate {
  readonly model: string;
  readonly size: string;
  readonly unitPrice: number;
  readonly images: number;
  /** images × unit price. */
  readonly baseCredits: number;
  readonly bufferCredits: number;
  readonly totalCredits: number;
  readonly totalUsd: number;
  /** What the free daily credits alone pay for over the plan: never more than needed each day, nor than the total. */
  readonly freeCredits: number;
  /** Tiers that may use the model, lowest first, with whether their allowance (plus free credits) covers it. */
  readonly tiers: readonly TierCoverage[];
  /** The cheapest packs covering what free credits do not; null when none are needed or none are sold. */
  readonly packs: PackPurchase | null;
  /** The lowest tier that may use the model at all. */
  readonly lowestTier: Tier;
  /** Whether that is the tier of members without a tier role: every member may use the model. */
  readonly everyMemberMayUse: boolean;
}

export type EstimateRejection = { readonly message: string };

const periodDays = { daily: 1, weekly: 7, monthly: 30 } as const;

const outOfRange = (name: string, value: number, { min, max }: { min: number; max: number }): EstimateRejection | undefined =>
  Number.isSafeInteger(value) && value >= min && value <= max ? undefined : { message: `${name} must be a whole number from ${min} to ${max} (got ${value}).` };

export function estimate(card: PriceCard, request: EstimateRequest): Result<Estimate, EstimateRejection> {
  const invalid = outOfRange('images-per-day', request.imagesPerDay, ESTIMATE_LIMITS.imagesPerDay) ?? outOfRange('days', request.days, ESTIMATE_LIMITS.days);
  if (invalid) return err(invalid);

  const names = Object.keys(card.models);
  const model = request.model ?? names.find((name) => tierAllowsModel(noTier(card), card.models[name]!)) ?? names[0] ?? '';
  const spec = Object.hasOwn(card.models, model) ? card.models[model] : undefined;
  if (!spec) {
    const guess = closestKey(model, names);
    return err({ message: `There is no model called “${model}”.${guess ? ` Did you mean **${guess}**?` : ''} Models: ${names.join(', ')}.` });
  }
  // Prices do not depend on the tier; price it at the lowest tier allowed to use the model.
  const lowestTier = card.tiers.find((tier) => tierAllowsModel(tier, spec)) ?? noTier(card);
  const priced = quote(card, { model, size: request.size }, lowestTier);
  if (!priced.ok) return err({ message: priced.error.message });

  const { imagesPerDay, days } = request;
  const images = imagesPerDay * days;
  const baseCredits = images * priced.value.unitPrice;
  const totalCredits = Math.ceil((baseCredits * (100 + ESTIMATE_BUFFER_PERCENT)) / 100);
  const perDay = Math.ceil(totalCredits / days);
  const freeCredits = Math.min(Math.min(request.freeDailyCredits ?? card.freeDailyCredits, perDay) * days, totalCredits);

  const tiers = card.tiers
    .filter((tier) => tier.allowance > 0 && tierAllowsModel(tier, spec))
    .map((tier) => {
      const credits = freeCredits + Math.floor((tier.allowance * days) / periodDays[tier.period]);
      return { tier, credits, covers: credits >= totalCredits };
    });

  const short = Math.max(0, totalCredits - freeCredits);
  const packs = short === 0 ? null : cheapestPacks(card.packs, short);

  return ok({
    model,
    size: priced.value.size,
    unitPrice: priced.value.unitPrice,
    images,
    baseCredits,
    bufferCredits: totalCredits - baseCredits,
    totalCredits,
    totalUsd: totalCredits / card.creditsPerDollar,
    freeCredits,
    tiers,
    packs,
    lowestTier,
    everyMemberMayUse: lowestTier === noTier(card),
  });
}

import { err, ok, type Result } from '../result.js';
import { lowestTierAbove, maxStepsFor, tierAllowsModel } from '../tiers.js';
import { batchMultiplierFraction } from './batch.js';
import { closestKey } from './card-issue-messages.js';
import type { Lane, Operation } from './card-terms.js';
import { laneFactor, lowestTierWithLane, tierLanes } from '../lanes/lanes.js';
import { ceilFraction, fraction, fractionOf, multiply, toNumber } from './decimal.js';
import type { PriceCard, Tier } from './price-card-schema.js';
import * as reject from './quote-rejection.js';
import type { QuoteRejection } from './quote-rejection.js';
import { formatSize, megapixels, resolveSize, type Size } from './sizes.js';

/** What a member asks for; everything but the model has a default. */
export type QuoteRequest = {
  readonly model: string;
  /** "WxH" from the model's sizes, or an aspect ratio such as "16:9". @defaultValue the model's first size */
  readonly size?: string | undefined;
  /** @defaultValue the model's defaultSteps */
  readonly steps?: number | undefined;
  /** @defaultValue 1 */
  readonly count?: number | undefined;
  /** @defaultValue 'txt2img' */
  readonly operation?: Operation | undefined;
  /** @defaultValue 'fast' */
  readonly lane?: Lane | undefined;
  /**
   * inpaint / outpaint of a delivered image: the canvas it draws (its size, whatever the model's
   * sizes) and the pixels priced instead of the whole canvas, the pixels added or repainted
   * (src/domain/edits/edit-geometry.ts). Ignored for other operations.
   */
  readonly edit?: { readonly canvas: Size; readonly pricedPixels: number } | undefined;
};

/** Every factor of a price, for a renderer to show why it costs what it costs. */
export type QuoteBreakdown = {
  readonly model: { readonly name: string; readonly label: string; readonly baseCreditsPerMegapixel: number };
  readonly size: { readonly label: string; readonly width: number; readonly height: number; readonly megapixels: number };
  readonly steps: { readonly steps: number; readonly defaultSteps: number; readonly factor: number };
  readonly operation: { readonly name: Operation; readonly factor: number };
  readonly batch: { readonly count: number; readonly multiplier: number; readonly fullPrice: number; readonly savings: number };
  /** Absent on quotes stored before lanes (they ran at Fast, 1×). */
  readonly lane?: { readonly name: Lane; readonly factor: number; readonly listTotal: number };
  /** The exact credits for one image, before any rounding (e.g. 1.572864). */
  readonly unitExact: number;
  /** An edit priced by what it draws: the megapixels added (outpaint) or repainted (inpaint), not `size`'s. */
  readonly edit?: { readonly pricedPixels: number; readonly megapixels: number };
};

export type Quote = {
  readonly model: string;
  readonly providerModelId: string;
  readonly operation: Operation;
  readonly lane: Lane;
  /** "WxH" as resolved from the request (an aspect ratio becomes the size it picked). */
  readonly size: string;
  readonly steps: number;
  readonly count: number;
  readonly tier: string;
  /** Credits for one image on its own: ceil(base × MP × steps/defaultSteps × operation factor × lane factor). */
  readonly unitPrice: number;
  readonly batchMultiplier: number;
  /**
   * Credits for the whole request, rounded up once at the end: ceil(exact unit × batch
   * multiplier). Rounding the unit first would charge a batch up to a credit per image more
   * than its multiplier says (1.57 → 2, × 1.8 = 4: no discount at all). Always ≥ 1, except in a
   * Relax lane priced at 0×, where it is 0.
   */
  readonly total: number;
  /**
   * What the work is worth at the list price (lane factor 1×): what the operator pays for, which
   * a server's budget counts even when the member's lane is free.
   */
  readonly listTotal: number;
  /** `total` in US dollars at the card's rate. */
  readonly usd: number;
  /** Credits saved against `count` single images (count × unitPrice − total); never negative. */
  readonly savings: number;
  readonly breakdown: QuoteBreakdown;
};

/** Prices a request for a member of `tier`, or says in the member's words why it cannot be done. */
export function quote(card: PriceCard, request: QuoteRequest, tier: Tier): Result<Quote, QuoteRejection> {
  const { steps: askedSteps, count = 1, operation = 'txt2img', lane = 'fast' } = request;
  if (askedSteps !== undefined && !Number.isSafeInteger(askedSteps)) return err(reject.rejectNotWholeNumber('steps', askedSteps));
  if (!Number.isSafeInteger(count)) return err(reject.rejectNotWholeNumber('count', count));

  const names = Object.keys(card.models);
  // Own keys only: a model named "constructor" must not find Object.prototype.constructor.
  const spec = Object.hasOwn(card.models, request.model) ? card.models[request.model] : undefined;
  if (!spec) return err(reject.rejectUnknownModel(request.model, names, closestKey(request.model, names)));
  const model = { name: request.model, label: spec.label };
  if (!tierAllowsModel(tier, spec)) {
    return err(
      reject.rejectModelNotInTier(
        model,
        tier,
        lowestTierAbove(card, tier, (t) => tierAllowsModel(t, spec)),
      ),
    );
  }
  if (!spec.operations.includes(operation)) return err(reject.rejectOperation(model, operation, spec.operations));
  const speed = laneFactor(tier, lane);
  if (speed === undefined) return err(reject.rejectLane(lane, tier, tierLanes(tier), lowestTierWithLane(card, tier, lane)));

  const askedSize = request.size ?? spec.sizes[0] ?? '';
  const edit = operation === 'inpaint' || operation === 'outpaint' ? request.edit : undefined;
  const size = edit?.canvas ?? resolveSize(askedSize, spec.sizes);
  if (!size) return err(reject.rejectSize(model, askedSize, spec.sizes));

  const steps = askedSteps ?? spec.defaultSteps;
  const maxSteps = maxStepsFor(tier, spec);
  if (steps < 1 || steps > maxSteps) {
    // Only a tier's own cap can be lifted by another tier; the model's maximum is final.
    const tierCapped = steps > maxSteps && steps <= spec.maxSteps;
    const unlockedBy = tierCapped ? lowestTierAbove(card, tier, (t) => steps <= maxStepsFor(t, spec)) : undefined;
    return err(reject.rejectSteps(model, steps, maxSteps, tier, unlockedBy));
  }
  if (count < 1) return err(reject.rejectCount(count, tier.maxBatch));
  if (count > tier.maxBatch)
    return err(
      reject.rejectBatch(
        count,
        tier,
        lowestTierAbove(card, tier, (t) => count <= t.maxBatch),
      ),
    );
  const multiplier = batchMultiplierFraction(card.batch, count);
  if (!multiplier) return err(reject.rejectCount(count, tier.maxBatch));

  const pixels = edit?.pricedPixels ?? size.width * size.height;
  const listUnitExact = multiply(
    fractionOf(spec.baseCreditsPerMegapixel),
    fraction(BigInt(pixels), 1_000_000n),
    fraction(BigInt(steps), BigInt(spec.defaultSteps)),
    fractionOf(card.operationFactors[operation]),
  );
  const unitExact = multiply(listUnitExact, fractionOf(speed));
  const unitPrice = ceilFraction(unitExact);
  const total = ceilFraction(multiply(unitExact, multiplier));
  const listTotal = ceilFraction(multiply(listUnitExact, multiplier));
  const fullPrice = unitPrice * count;
  const batchMultiplier = toNumber(multiplier);
  const sizeLabel = formatSize(size);
  return ok({
    model: model.name,
    providerModelId: spec.providerModelId,
    operation,
    lane,
    size: sizeLabel,
    steps,
    count,
    tier: tier.name,
    unitPrice,
    batchMultiplier,
    total,
    listTotal,
    usd: total / card.creditsPerDollar,
    savings: fullPrice - total,
    breakdown: {
      model: { ...model, baseCreditsPerMegapixel: spec.baseCreditsPerMegapixel },
      size: { label: sizeLabel, width: size.width, height: size.height, megapixels: megapixels(size) },
      steps: { steps, defaultSteps: spec.defaultSteps, factor: steps / spec.defaultSteps },
      operation: { name: operation, factor: card.operationFactors[operation] },
      batch: { count, multiplier: batchMultiplier, fullPrice, savings: fullPrice - total },
      lane: { name: lane, factor: speed, listTotal },
      unitExact: toNumber(unitExact),
      ...(edit ? { edit: { pricedPixels: edit.pricedPixels, megapixels: edit.pricedPixels / 1_000_000 } } : {}),
    },
  });
}

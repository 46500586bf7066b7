// Rounding once, at the end (issue 14): the batch discount a card promises is never eaten by
// rounding each image up first, and no price falls when a request asks for more. Checked over the
// default price card and over random cards (random rates, operation factors and batch tables that
// the card rules accept).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PriceCard, Tier } from '../../../src/domain/pricing/price-card-schema.js';
import { quote, type Quote, type QuoteRequest } from '../../../src/domain/pricing/quote.js';
import { parseSize } from '../../../src/domain/pricing/sizes.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { testCard } from '../domain/pricing/card-fixture.js';

let defaultCard: PriceCard;
beforeAll(async () => {
  defaultCard = await loadPriceCardOrThrow();
});

const best = (card: PriceCard): Tier => card.tiers.at(-1)!;

function priced(card: PriceCard, request: QuoteRequest): Quote {
  const result = quote(card, request, best(card));
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** Any request the card's best tier may make: model, size, steps, operation, count. */
const requestOn = (card: PriceCard) =>
  fc.constantFrom(...Object.entries(card.models)).chain(([model, spec]) =>
    fc.record({
      model: fc.constant(model),
      size: fc.constantFrom(...spec.sizes),
      steps: fc.integer({ min: 1, max: Math.min(spec.maxSteps, best(card).maxSteps ?? spec.maxSteps) }),
      operation: fc.constantFrom(...spec.operations),
      count: fc.integer({ min: 1, max: best(card).maxBatch }),
    }),
  );

/** A valid random card: the fixture's shape with random rates, factors and a random batch table. */
const randomCard = fc
  .record({
    bases: fc.array(fc.integer({ min: 1, max: 200_000_000 }), { minLength: 4, maxLength: 4 }),
    factors: fc.array(fc.integer({ min: 100_000, max: 3_000_000 }), { minLength: 3, maxLength: 3 }),
    // Per-image fractions of the previous row, each ≤ 1, so the total never falls and the per-image price never rises.
    steps: fc.array(fc.integer({ min: 500_000, max: 1_000_000 }), { minLength: 5, maxLength: 5 }),
  })
  .map(({ bases, factors, steps }) =>
    testCard((raw) => {
      const models = Object.values(raw.models);
      models.forEach((model, i) => (model.baseCreditsPerMegapixel = bases[i]! / 1_000_000));
      raw.operationFactors = { txt2img: 1, img2img: factors[0]! / 1_000_000, upscale: factors[1]! / 1_000_000, variation: factors[2]! / 1_000_000 };
      const counts = [1, 2, 3, 4, 8, 16];
      let perImage = 1;
      raw.batch = counts.map((count, i) => {
        if (i > 0) perImage = Math.max((perImage * steps[i - 1]!) / 1_000_000, 1 / count);
        // Six decimals at most (the card's rule), and never below the row before.
        return { count, multiplier: Math.ceil(perImage * count * 1_000_000) / 1_000_000 };
      });
      for (let i = 1; i < raw.batch.length; i++) {
        const previous = raw.batch[i - 1]!;
        const row = raw.batch[i]!;
        row.multiplier = Math.max(row.multiplier, previous.multiplier);
        if (row.multiplier / row.count > previous.multiplier / previous.count)
          row.multiplier = Math.floor((previous.multiplier / previous.count) * row.count * 1_000_000) / 1_000_000;
      }
    }),
  );

const cardAndRequest = fc.oneof(
  fc.constant(null).chain(() => requestOn(defaultCard).map((request) => ({ card: defaultCard, request }))),
  randomCard.chain((card) => requestOn(card).map((request) => ({ card, request }))),
);

describe('rounding once, at the end of the price', () => {
  it('flux-schnell: 1.57 exact is 2 alone, 3 for two (not 4) and 5 for four (not 6)', () => {
    const schnell = (count: number) => priced(defaultCard, { model: 'flux-schnell', count });
    expect(schnell(1).breakdown.unitExact).toBeCloseTo(1.572864, 6);
    expect([schnell(1).total, schnell(2).total, schnell(4).total]).toEqual([2, 3, 5]);
  });

  it('charges ceil(exact unit × multiplier): never more than the same images one by one, cheaper by every whole credit the multiplier saves', () => {
    fc.assert(
      fc.property(cardAndRequest, ({ card, request }) => {
        const q = priced(card, request);
        const exact = q.breakdown.unitExact * q.batchMultiplier;
        expect(q.total).toBe(Math.max(1, Math.ceil(exact - 1e-9)));
        const singles = q.count * q.unitPrice;
        expect(q.total).toBeLessThanOrEqual(singles);
        // The multiplier below the count saves at least one whole credit → the batch is cheaper.
        if (singles - exact >= 1) expect(q.total).toBeLessThan(singles);
      }),
      { numRuns: 300 },
    );
  });

  it('never charges less for more images, more steps or more pixels', () => {
    fc.assert(
      fc.property(cardAndRequest, ({ card, request }) => {
        const q = priced(card, request);
        const spec = card.models[request.model]!;
        const tier = best(card);
        if (request.count < tier.maxBatch) expect(priced(card, { ...request, count: request.count + 1 }).total).toBeGreaterThanOrEqual(q.total);
        if (request.steps < Math.min(spec.maxSteps, tier.maxSteps ?? spec.maxSteps)) {
          expect(priced(card, { ...request, steps: request.steps + 1 }).total).toBeGreaterThanOrEqual(q.total);
        }
        const pixels = (size: string) => {
          const s = parseSize(size)!;
          return s.width * s.height;
        };
        for (const larger of spec.sizes.filter((size) => pixels(size) > pixels(request.size))) {
          expect(priced(card, { ...request, size: larger }).total).toBeGreaterThanOrEqual(q.total);
        }
      }),
      { numRuns: 300 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchMultiplierFraction } from '../../../../src/domain/pricing/batch.js';
import { compare, fraction, multiply } from '../../../../src/domain/pricing/decimal.js';
import { quote, type Quote, type QuoteRequest } from '../../../../src/domain/pricing/quote.js';
import { testCard, tierOf } from './card-fixture.js';

const card = testCard();
const ultra = tierOf(card, 'ultra');

/** Any request the ultra tier may make of the fixture card. */
const validRequest = fc.constantFrom(...Object.entries(card.models)).chain(([model, spec]) =>
  fc.record({
    model: fc.constant(model),
    size: fc.constantFrom(...spec.sizes),
    steps: fc.integer({ min: 1, max: spec.maxSteps }),
    count: fc.integer({ min: 1, max: ultra.maxBatch - 1 }),
    operation: fc.constantFrom(...spec.operations),
  }),
);

function priced(request: QuoteRequest): Quote {
  const result = quote(card, request, ultra);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('quote properties', () => {
  it('charges at least 1 credit and never more than count × unit price', () => {
    fc.assert(
      fc.property(validRequest, (request) => {
        const q = priced(request);
        expect(q.total).toBeGreaterThanOrEqual(1);
        expect(q.total).toBeLessThanOrEqual(q.count * q.unitPrice);
        expect(q.savings).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('never charges less in total for one more image', () => {
    fc.assert(
      fc.property(validRequest, (request) => {
        expect(priced({ ...request, count: request.count + 1 }).total).toBeGreaterThanOrEqual(priced(request).total);
      }),
    );
  });

  it('never raises the exact per-image price for one more image', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15 }), (count) => {
        const perImage = (n: number) => multiply(batchMultiplierFraction(card.batch, n) ?? fraction(0n), fraction(1n, BigInt(n)));
        expect(compare(perImage(count + 1), perImage(count))).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('rounds the unit price up by less than one credit', () => {
    fc.assert(
      fc.property(validRequest, (request) => {
        const { breakdown: b, unitPrice } = priced(request);
        const exact = b.model.baseCreditsPerMegapixel * b.size.megapixels * b.steps.factor * b.operation.factor;
        expect(unitPrice).toBeGreaterThanOrEqual(exact - 1e-9);
        expect(unitPrice - exact).toBeLessThan(1);
      }),
    );
  });
});

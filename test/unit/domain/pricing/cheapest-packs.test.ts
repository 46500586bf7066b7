import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cheapestPacks } from '../../../../src/domain/pricing/cheapest-packs.js';
import type { Pack } from '../../../../src/domain/pricing/price-card-schema.js';

const pack = (credits: number, priceUsd: number): Pack => ({ id: `credits-${credits}`, credits, priceUsd });
/** The default price card's packs. */
const defaults = [pack(500, 5), pack(1200, 10), pack(3000, 20), pack(8000, 50)];

/** Every purchase of up to `most` of each pack: the cheapest covering `need`, by brute force. */
function bruteForce(packs: Pack[], need: number, most: number): number {
  let best = Infinity;
  const visit = (i: number, credits: number, cents: number) => {
    if (cents >= best) return;
    if (credits >= need) {
      best = cents;
      return;
    }
    if (i === packs.length) return;
    for (let n = 0; n <= most; n++) visit(i + 1, credits + n * packs[i]!.credits, cents + n * Math.round(packs[i]!.priceUsd * 100));
  };
  visit(0, 0, 0);
  return best / 100;
}

describe('the cheapest packs covering a need', () => {
  it('mixes packs where one kind is dearer: 10,285 credits are 8000 + 3000 for $70, not 4 × 3000 for $80', () => {
    const bought = cheapestPacks(defaults, 10_285);
    expect(bought).toMatchObject({ credits: 11_000, priceUsd: 70 });
    expect(bought?.items.map(({ pack: p, quantity }) => [p.credits, quantity])).toEqual([
      [8000, 1],
      [3000, 1],
    ]);
  });

  it('buys nothing for nothing, and says so when no packs are sold', () => {
    expect(cheapestPacks(defaults, 0)).toEqual({ items: [], credits: 0, priceUsd: 0 });
    expect(cheapestPacks([], 100)).toBeNull();
  });

  it('buys in bulk what only the best-value pack should buy, and stays exact (a million credits)', () => {
    const bought = cheapestPacks(defaults, 1_000_000)!;
    expect(bought.credits).toBeGreaterThanOrEqual(1_000_000);
    expect(bought.priceUsd).toBe(6250); // 125 × 8000 at $50: 160 credits a dollar, the best rate.
  });

  it('is never dearer than any other purchase that covers the need (brute force over small cards)', () => {
    const packs = fc
      .array(fc.record({ credits: fc.integer({ min: 1, max: 40 }), cents: fc.integer({ min: 1, max: 900 }) }), { minLength: 1, maxLength: 3 })
      .map((list) => list.map(({ credits, cents }) => pack(credits, cents / 100)));
    fc.assert(
      fc.property(packs, fc.integer({ min: 1, max: 120 }), (list, need) => {
        const bought = cheapestPacks(list, need)!;
        expect(bought.credits).toBeGreaterThanOrEqual(need);
        const smallest = Math.min(...list.map((p) => p.credits));
        expect(bought.priceUsd).toBeCloseTo(bruteForce(list, need, Math.ceil(need / smallest)), 6);
      }),
      { numRuns: 200 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultLaneFor, tierLanes } from '../../../../src/domain/lanes/lanes.js';
import { formatBreakdown } from '../../../../src/domain/pricing/format-breakdown.js';
import { quote } from '../../../../src/domain/pricing/quote.js';
import { problemsAfter, setAt, testCard, tierOf } from './card-fixture.js';

/** The fixture card with lanes: starter Relax (free) + Fast, ultra Relax + Fast + Turbo 2×. */
const card = testCard((raw) => {
  setAt(raw, 'tiers.1.lanes', { relax: 0, fast: 1 });
  setAt(raw, 'tiers.2.lanes', { relax: 0.25, fast: 1 });
  setAt(raw, 'tiers.3.lanes', { relax: 0, fast: 1, turbo: 2 });
});
const priced = (tierName: string, request: Parameters<typeof quote>[1]) => quote(card, request, tierOf(card, tierName));

describe('speed lanes on the price card', () => {
  it('prices a lane as its factor × the list price, rounded once: Turbo 2× is twice Fast, Relax 0× is free', () => {
    const fast = priced('ultra', { model: 'dev', count: 4, lane: 'fast' });
    const turbo = priced('ultra', { model: 'dev', count: 4, lane: 'turbo' });
    const relax = priced('ultra', { model: 'dev', count: 4, lane: 'relax' });
    if (!fast.ok || !turbo.ok || !relax.ok) throw new Error('expected quotes');
    expect(fast.value.total).toBe(38); // ceil(12.582912 × 3)
    expect(turbo.value.total).toBe(76); // ceil(12.582912 × 2 × 3) = ceil(75.497…)
    expect(relax.value.total).toBe(0);
    // What the work is worth to the operator is the same in every lane.
    expect([fast.value.listTotal, turbo.value.listTotal, relax.value.listTotal]).toEqual([38, 38, 38]);
    expect(turbo.value.breakdown.lane).toEqual({ name: 'turbo', factor: 2, listTotal: 38 });
    expect(formatBreakdown(turbo.value)).toContain('× turbo 2 =');
    expect(formatBreakdown(fast.value)).not.toContain('fast');
  });

  it('rounds a fractional Relax factor up once, like every price', () => {
    const relax = priced('pro', { model: 'dev', lane: 'relax' });
    if (!relax.ok) throw new Error(relax.error.message);
    expect(relax.value.total).toBe(4); // ceil(12.582912 × 0.25) = ceil(3.145728)
  });

  it('defaults to Fast, and a tier without `lanes` offers Fast at 1× only', () => {
    const none = tierOf(card, 'none');
    expect(tierLanes(none)).toEqual([{ lane: 'fast', factor: 1 }]);
    const result = priced('none', { model: 'schnell' });
    expect(result.ok && result.value.lane).toBe('fast');
  });

  it('refuses a lane the tier does not offer, naming what it offers and the lowest tier that has it', () => {
    const result = priced('starter', { model: 'schnell', lane: 'turbo' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'lane-not-in-tier', lane: 'turbo', offered: ['relax', 'fast'], unlockedBy: 'ultra' });
    expect(result.error.message).toBe('Turbo is not part of your tier (Starter); it offers Relax, Fast. The Ultra tier offers Turbo.');
  });

  it("uses the member's default lane where their tier offers it, else Fast", () => {
    expect(defaultLaneFor(tierOf(card, 'ultra'), 'turbo')).toBe('turbo');
    expect(defaultLaneFor(tierOf(card, 'starter'), 'turbo')).toBe('fast');
    expect(defaultLaneFor(tierOf(card, 'starter'), null)).toBe('fast');
  });

  it('never charges less for a faster lane, for any request and any lane factors the card accepts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('schnell', 'sdxl', 'dev'),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        (model, count, relax, fastHundredths, extra) => {
          // Whole hundredths, summed as integers: the card accepts at most 6 decimal places.
          const lanes = { relax: Math.min(relax, fastHundredths) / 100, fast: fastHundredths / 100, turbo: (fastHundredths + extra) / 100 };
          const laned = testCard((raw) => setAt(raw, 'tiers.3.lanes', lanes));
          const tier = tierOf(laned, 'ultra');
          const totals = (['relax', 'fast', 'turbo'] as const).map((lane) => {
            const result = quote(laned, { model, count, lane }, tier);
            if (!result.ok) throw new Error(result.error.message);
            return result.value.total;
          });
          expect(totals[0]).toBeLessThanOrEqual(totals[1]!);
          expect(totals[1]).toBeLessThanOrEqual(totals[2]!);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('price card rules for lanes', () => {
  it('refuses a faster lane priced below a slower one', () => {
    expect(problemsAfter((raw) => setAt(raw, 'tiers.3.lanes', { relax: 0, fast: 1, turbo: 0.5 }))).toEqual([
      "tiers.ultra.lanes.turbo: 0.5× is less than fast's 1×: a faster lane never costs less",
    ]);
  });

  it('refuses a tier with no lane, a free Fast or Turbo, and an unknown lane', () => {
    expect(problemsAfter((raw) => setAt(raw, 'tiers.3.lanes', {}))).toEqual(['tiers.ultra.lanes: must offer at least one lane (relax, fast or turbo)']);
    expect(problemsAfter((raw) => setAt(raw, 'tiers.3.lanes', { fast: 0 }))).toEqual(['tiers.ultra.lanes.fast: must be more than 0']);
    expect(problemsAfter((raw) => setAt(raw, 'tiers.3.lanes', { fast: 1, warp: 3 }))).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { batchMultiplier, batchMultiplierFraction, largestBatch } from '../../../../src/domain/pricing/batch.js';
import { testCard } from './card-fixture.js';

const table = testCard().batch;

describe('batch multiplier', () => {
  it.each([
    [1, 1],
    [2, 1.8],
    [3, 2.5],
    [4, 3],
    [8, 5.5],
    [16, 10],
  ])('uses the table row for a listed count %d (×%d)', (count, multiplier) => {
    expect(batchMultiplier(table, count)).toBe(multiplier);
  });

  it.each([
    [5, 3.625],
    [6, 4.25],
    [7, 4.875],
    [12, 7.75],
  ])('interpolates linearly between rows for count %d (×%d)', (count, multiplier) => {
    expect(batchMultiplier(table, count)).toBe(multiplier);
  });

  it('keeps interpolated multipliers exact', () => {
    expect(batchMultiplierFraction(table, 5)).toEqual({ num: 29n, den: 8n });
  });

  it('prices nothing below 1 or above the last row, nor fractional counts', () => {
    expect(batchMultiplier(table, 0)).toBeUndefined();
    expect(batchMultiplier(table, 16)).toBe(10);
    expect(batchMultiplier(table, 17)).toBeUndefined();
    expect(batchMultiplier(table, 2.5)).toBeUndefined();
    expect(largestBatch(table)).toBe(16);
  });

  it('never raises the per-image multiplier as the count grows', () => {
    const perImage = Array.from({ length: 16 }, (_, i) => (batchMultiplier(table, i + 1) ?? Infinity) / (i + 1));
    for (let i = 1; i < perImage.length; i++) expect(perImage[i]).toBeLessThanOrEqual(perImage[i - 1] ?? 0);
  });
});

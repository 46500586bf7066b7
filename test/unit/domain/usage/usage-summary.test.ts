import { describe, expect, it } from 'vitest';
import type { Lane } from '../../../../src/domain/pricing/card-terms.js';
import { summarizeUsage, usageRange } from '../../../../src/domain/usage/usage-summary.js';

const bucket = (day: string, model: string, charged: number, kept = 0, refunded = 0, lane: Lane = 'fast') => ({
  day,
  model,
  operation: 'txt2img',
  lane,
  jobs: 1,
  imagesRequested: 1,
  imagesDelivered: 1,
  imagesKept: kept,
  creditsCharged: charged,
  creditsRefunded: refunded,
});

describe('usage summary', () => {
  it('covers the last n UTC days, today included', () => {
    const range = usageRange(new Date('2026-11-22T15:30:00Z'), 3);
    expect(range.days).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
    expect(range.since.toISOString()).toBe('2026-11-20T00:00:00.000Z');
  });

  it('adds up by model and operation, zero-fills the daily series, and prices kept images', () => {
    const days = ['2026-11-20', '2026-11-21', '2026-11-22'];
    const summary = summarizeUsage([bucket('2026-11-20', 'a', 4, 1), bucket('2026-11-22', 'a', 6, 0, 2), bucket('2026-11-22', 'b', 20, 1)], days);
    expect(summary.totals).toMatchObject({ creditsCharged: 30, creditsRefunded: 2, imagesKept: 2, jobs: 3 });
    expect(summary.creditsPerKeptImage).toBe(15);
    expect(summary.byModelOperation.map((row) => [row.model, row.creditsCharged])).toEqual([
      ['b', 20],
      ['a', 10],
    ]);
    expect(summary.daily.series).toEqual([
      { model: 'b', credits: [0, 0, 20] },
      { model: 'a', credits: [4, 0, 6] },
    ]);
  });

  it('splits spend by lane, slowest first, listing only lanes used', () => {
    const day = '2026-11-22';
    const summary = summarizeUsage(
      [bucket(day, 'a', 8, 0, 0, 'turbo'), bucket(day, 'a', 0, 0, 0, 'relax'), bucket(day, 'b', 4), bucket(day, 'a', 0, 0, 0, 'relax')],
      [day],
    );
    expect(summary.byLane.map((row) => [row.lane, row.jobs, row.creditsCharged])).toEqual([
      ['relax', 2, 0],
      ['fast', 1, 4],
      ['turbo', 1, 8],
    ]);
    expect(summarizeUsage([bucket(day, 'b', 4)], [day]).byLane.map((row) => row.lane)).toEqual(['fast']);
  });

  it('has no cost per kept image when nothing was kept', () => {
    expect(summarizeUsage([bucket('2026-11-22', 'a', 4)], ['2026-11-22']).creditsPerKeptImage).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { summarizeUsage, usageRange } from '../../../../src/domain/usage/usage-summary.js';

const bucket = (day: string, model: string, charged: number, kept = 0, refunded = 0) => ({
  day,
  model,
  operation: 'txt2img',
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

  it('has no cost per kept image when nothing was kept', () => {
    expect(summarizeUsage([bucket('2026-11-22', 'a', 4)], ['2026-11-22']).creditsPerKeptImage).toBeNull();
  });
});

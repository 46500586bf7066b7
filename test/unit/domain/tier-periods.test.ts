import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dailyResetWindow, expiryWithRollover, tierPeriodWindow } from '../../../src/domain/tiers.js';

const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();
const windowOf = (period: 'daily' | 'weekly' | 'monthly', when: string) => {
  const w = tierPeriodWindow(period, at(when));
  return { key: w.key, start: iso(w.start), end: iso(w.end) };
};

describe('daily windows (UTC)', () => {
  it('runs from UTC midnight to the next', () => {
    expect(windowOf('daily', '2026-11-22T15:30:00Z')).toEqual({
      key: '2026-11-22',
      start: '2026-11-22T00:00:00.000Z',
      end: '2026-11-23T00:00:00.000Z',
    });
  });

  it('switches exactly at midnight: 1 ms before, at, 1 ms after', () => {
    expect(windowOf('daily', '2026-11-22T23:59:59.999Z').key).toBe('2026-11-22');
    expect(windowOf('daily', '2026-11-23T00:00:00.000Z').key).toBe('2026-11-23');
    expect(windowOf('daily', '2026-11-23T00:00:00.001Z').key).toBe('2026-11-23');
  });

  it('crosses month and year ends and leap days', () => {
    expect(windowOf('daily', '2026-12-31T12:00:00Z')).toMatchObject({ key: '2026-12-31', end: '2027-01-01T00:00:00.000Z' });
    expect(windowOf('daily', '2028-02-29T08:00:00Z')).toMatchObject({ key: '2028-02-29', end: '2028-03-01T00:00:00.000Z' });
  });

  it('resets free daily credits at the next UTC midnight', () => {
    expect(iso(dailyResetWindow(at('2026-11-22T23:00:00-05:00')).end)).toBe('2026-11-24T00:00:00.000Z');
  });
});

describe('weekly windows (ISO weeks, Monday 00:00 UTC)', () => {
  it('keys a week by ISO week-year and number', () => {
    expect(windowOf('weekly', '2026-11-22T10:00:00Z')).toEqual({
      key: '2026-W47',
      start: '2026-11-16T00:00:00.000Z',
      end: '2026-11-23T00:00:00.000Z',
    });
  });

  it('starts a new week on Monday 00:00 UTC: Sunday 23:59:59.999, Monday 00:00, Monday 00:00:00.001', () => {
    expect(windowOf('weekly', '2026-11-22T23:59:59.999Z').key).toBe('2026-W47');
    expect(windowOf('weekly', '2026-11-23T00:00:00.000Z').key).toBe('2026-W48');
    expect(windowOf('weekly', '2026-11-23T00:00:00.001Z').key).toBe('2026-W48');
  });

  it('puts 2026-12-31 and 2027-01-01 in week 53 of 2026', () => {
    const expected = { key: '2026-W53', start: '2026-12-28T00:00:00.000Z', end: '2027-01-04T00:00:00.000Z' };
    expect(windowOf('weekly', '2026-12-31T12:00:00Z')).toEqual(expected);
    expect(windowOf('weekly', '2027-01-03T23:59:59.999Z')).toEqual(expected);
    expect(windowOf('weekly', '2027-01-04T00:00:00Z').key).toBe('2027-W01');
  });

  it('puts late December days in week 1 of the next ISO year when Thursday falls in it', () => {
    expect(windowOf('weekly', '2025-12-28T12:00:00Z').key).toBe('2025-W52');
    expect(windowOf('weekly', '2025-12-29T00:00:00Z')).toMatchObject({ key: '2026-W01', start: '2025-12-29T00:00:00.000Z' });
    expect(windowOf('weekly', '2024-12-30T00:00:00Z').key).toBe('2025-W01');
    expect(windowOf('weekly', '2021-01-03T00:00:00Z').key).toBe('2020-W53');
  });
});

describe('monthly windows (UTC)', () => {
  it('runs from the 1st to the 1st of the next month, across year ends', () => {
    expect(windowOf('monthly', '2026-11-22T10:00:00Z')).toEqual({
      key: '2026-11',
      start: '2026-11-01T00:00:00.000Z',
      end: '2026-12-01T00:00:00.000Z',
    });
    expect(windowOf('monthly', '2026-12-31T23:59:59.999Z')).toMatchObject({ key: '2026-12', end: '2027-01-01T00:00:00.000Z' });
    expect(windowOf('monthly', '2027-01-01T00:00:00.000Z').key).toBe('2027-01');
  });
});

describe('expiryWithRollover', () => {
  const week47 = tierPeriodWindow('weekly', at('2026-11-22T10:00:00Z'));

  it('expires at the end of the period without rollover', () => {
    expect(iso(expiryWithRollover(week47, 0))).toBe('2026-11-23T00:00:00.000Z');
  });

  it('adds whole periods for rollover, months of any length included', () => {
    expect(iso(expiryWithRollover(week47, 1))).toBe('2026-11-30T00:00:00.000Z');
    expect(iso(expiryWithRollover(week47, 6))).toBe('2027-01-04T00:00:00.000Z');
    const january = tierPeriodWindow('monthly', at('2026-01-31T00:00:00Z'));
    expect(iso(expiryWithRollover(january, 1))).toBe('2026-03-01T00:00:00.000Z');
    expect(iso(expiryWithRollover(january, 2))).toBe('2026-04-01T00:00:00.000Z');
  });

  it('refuses a negative or fractional rollover', () => {
    expect(() => expiryWithRollover(week47, -1)).toThrow(RangeError);
    expect(() => expiryWithRollover(week47, 0.5)).toThrow(RangeError);
  });

  it('refuses an invalid date', () => {
    expect(() => tierPeriodWindow('daily', new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('period window properties', () => {
  const anyInstant = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-12-31T23:59:59Z'), noInvalidDate: true });
  const anyPeriod = fc.constantFrom('daily' as const, 'weekly' as const, 'monthly' as const);

  it('contains the instant, and the next window starts where it ends with a new key', () => {
    fc.assert(
      fc.property(anyPeriod, anyInstant, (period, instant) => {
        const w = tierPeriodWindow(period, instant);
        expect(w.start.getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(w.end.getTime()).toBeGreaterThan(instant.getTime());
        expect(tierPeriodWindow(period, w.start).key).toBe(w.key);
        const next = tierPeriodWindow(period, w.end);
        expect(next.start.getTime()).toBe(w.end.getTime());
        expect(next.key).not.toBe(w.key);
      }),
    );
  });

  it('starts every week on a Monday at 00:00 UTC', () => {
    fc.assert(
      fc.property(anyInstant, (instant) => {
        const { start } = tierPeriodWindow('weekly', instant);
        expect([start.getUTCDay(), start.getUTCHours(), start.getUTCMinutes(), start.getUTCMilliseconds()]).toEqual([1, 0, 0, 0]);
      }),
    );
  });
});

import type { TierPeriod } from './pricing/card-terms.js';

/** One allowance period in UTC: [start, end). The key names it in idempotency keys and UI. */
export type PeriodWindow = {
  readonly period: TierPeriod;
  /** `2026-11-22` (daily), `2026-W47` (weekly, ISO 8601 week-year), `2026-11` (monthly). */
  readonly key: string;
  readonly start: Date;
  readonly end: Date;
};

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
/** Date.UTC without its quirk of reading years 0–99 as 1900–1999. */
const utc = (year: number, month: number, day: number): number => new Date(0).setUTCFullYear(year, month, day);

/**
 * The period containing `at`. Weeks start Monday 00:00 UTC and are keyed by ISO week-year,
 * which differs from the calendar year around New Year: 2026-12-31 (a Thursday) is in
 * 2026-W53, and 2027-01-01 is too.
 */
export function tierPeriodWindow(period: TierPeriod, at: Date): PeriodWindow {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid date');
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  const dayStart = utc(year, month, at.getUTCDate());
  switch (period) {
    case 'daily':
      return makeWindow(period, `${pad(year, 4)}-${pad(month + 1)}-${pad(at.getUTCDate())}`, dayStart, dayStart + DAY_MS);
    case 'weekly': {
      const monday = dayStart - ((at.getUTCDay() + 6) % 7) * DAY_MS;
      // The ISO week belongs to the year of its Thursday.
      const thursday = new Date(monday + 3 * DAY_MS);
      const weekYear = thursday.getUTCFullYear();
      const week = Math.floor((thursday.getTime() - utc(weekYear, 0, 1)) / DAY_MS / 7) + 1;
      return makeWindow(period, `${pad(weekYear, 4)}-W${pad(week)}`, monday, monday + 7 * DAY_MS);
    }
    case 'monthly':
      return makeWindow(period, `${pad(year, 4)}-${pad(month + 1)}`, utc(year, month, 1), utc(year, month + 1, 1));
  }
}

const makeWindow = (period: TierPeriod, key: string, start: number, end: number): PeriodWindow => ({
  period,
  key,
  start: new Date(start),
  end: new Date(end),
});

/** The day of free daily credits containing `at`: they expire at its end, the next UTC midnight. */
export const dailyResetWindow = (at: Date): PeriodWindow => tierPeriodWindow('daily', at);

/**
 * When an allowance granted in `window` expires: the end of its own period, or with rollover
 * the end of the period `rolloverPeriods` later (months of any length are whole periods).
 */
export function expiryWithRollover(window: PeriodWindow, rolloverPeriods: number): Date {
  if (!Number.isSafeInteger(rolloverPeriods) || rolloverPeriods < 0) {
    throw new RangeError(`rolloverPeriods must be a whole number ≥ 0, got ${rolloverPeriods}`);
  }
  let current = window;
  for (let i = 0; i < rolloverPeriods; i++) current = tierPeriodWindow(window.period, current.end);
  return new Date(current.end.getTime());
}

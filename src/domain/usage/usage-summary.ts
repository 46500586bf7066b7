import { LANES, type Lane } from '../pricing/card-terms.js';

// What /usage says: spend by model and operation, by speed lane, refunds, images kept and what each kept image
// effectively cost, plus spend per day by model for the chart. Pure: the buckets come from a port.

export interface UsageTotals {
  readonly jobs: number;
  readonly imagesRequested: number;
  readonly imagesDelivered: number;
  readonly imagesKept: number;
  readonly creditsCharged: number;
  readonly creditsRefunded: number;
}

export interface ModelOperationUsage extends UsageTotals {
  readonly model: string;
  readonly operation: string;
}

/**
 * A member's finished jobs of one UTC day, model and operation, added up (read through the
 * UsageReader port). `imagesKept` counts the delivered images of jobs the member kept (keep ⭐).
 */
export interface UsageBucket extends ModelOperationUsage {
  /** `YYYY-MM-DD` (UTC) of the jobs' finish. */
  readonly day: string;
  readonly lane: Lane;
}

export interface LaneUsage extends UsageTotals {
  readonly lane: Lane;
}

export interface DailySpend {
  /** Every day of the range, oldest first, `YYYY-MM-DD`. */
  readonly days: readonly string[];
  /** Credits charged per day, one series per model (biggest spender first). */
  readonly series: readonly { readonly model: string; readonly credits: readonly number[] }[];
}

export interface UsageSummary {
  readonly totals: UsageTotals;
  /** Charged credits ÷ kept images; null when nothing was kept. */
  readonly creditsPerKeptImage: number | null;
  /** Biggest spend first. */
  readonly byModelOperation: readonly ModelOperationUsage[];
  /** The lanes used, slowest first (Relax, Fast, Turbo). */
  readonly byLane: readonly LaneUsage[];
  readonly daily: DailySpend;
}

const DAY_MS = 86_400_000;
const zero: UsageTotals = { jobs: 0, imagesRequested: 0, imagesDelivered: 0, imagesKept: 0, creditsCharged: 0, creditsRefunded: 0 };

const add = (a: UsageTotals, b: UsageTotals): UsageTotals => ({
  jobs: a.jobs + b.jobs,
  imagesRequested: a.imagesRequested + b.imagesRequested,
  imagesDelivered: a.imagesDelivered + b.imagesDelivered,
  imagesKept: a.imagesKept + b.imagesKept,
  creditsCharged: a.creditsCharged + b.creditsCharged,
  creditsRefunded: a.creditsRefunded + b.creditsRefunded,
});

export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * The range of `/usage days:n` at `now`: the last n UTC days, today included, from the start of
 * the first one until now.
 */
export function usageRange(now: Date, days: number): { readonly since: Date; readonly until: Date; readonly days: string[] } {
  const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = todayStart - (days - 1) * DAY_MS;
  return { since: new Date(since), until: now, days: Array.from({ length: days }, (_, i) => utcDay(new Date(since + i * DAY_MS))) };
}

export function summarizeUsage(buckets: readonly UsageBucket[], days: readonly string[]): UsageSummary {
  const totals = buckets.reduce<UsageTotals>((sum, bucket) => add(sum, bucket), zero);

  const byKey = new Map<string, ModelOperationUsage>();
  for (const bucket of buckets) {
    const key = `${bucket.model}\u0000${bucket.operation}`;
    const before = byKey.get(key) ?? { model: bucket.model, operation: bucket.operation, ...zero };
    byKey.set(key, { ...before, ...add(before, bucket) });
  }
  const byModelOperation = [...byKey.values()].sort(
    (a, b) => b.creditsCharged - a.creditsCharged || a.model.localeCompare(b.model) || a.operation.localeCompare(b.operation),
  );

  const byLane = LANES.flatMap((lane) => {
    const inLane = buckets.filter((bucket) => bucket.lane === lane);
    return inLane.length === 0 ? [] : [{ lane, ...inLane.reduce<UsageTotals>((sum, bucket) => add(sum, bucket), zero) }];
  });

  const dayIndex = new Map(days.map((day, i) => [day, i]));
  const perModel = new Map<string, number[]>();
  for (const bucket of buckets) {
    const i = dayIndex.get(bucket.day);
    if (i === undefined) continue;
    const credits = perModel.get(bucket.model) ?? days.map(() => 0);
    credits[i] = (credits[i] ?? 0) + bucket.creditsCharged;
    perModel.set(bucket.model, credits);
  }
  const total = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  const series = [...perModel.entries()]
    .map(([model, credits]) => ({ model, credits }))
    .sort((a, b) => total(b.credits) - total(a.credits) || a.model.localeCompare(b.model));

  return {
    totals,
    creditsPerKeptImage: totals.imagesKept > 0 ? totals.creditsCharged / totals.imagesKept : null,
    byModelOperation,
    byLane,
    daily: { days, series },
  };
}

import type { LedgerError } from '../domain/credits/ledger-errors.js';
import { err, ok, type Result } from '../domain/result.js';

/** Largest single movement; far above any real price, far below PostgreSQL's int4 limit. */
export const maxCreditsPerOperation = 100_000_000;

type Check = readonly [field: string, problem: string | null];

export const positiveCredits = (field: string, value: number): Check => [
  field,
  Number.isSafeInteger(value) && value > 0 && value <= maxCreditsPerOperation
    ? null
    : `must be a whole number of credits from 1 to ${maxCreditsPerOperation} (got ${value})`,
];

export const nonNegativeCredits = (field: string, value: number): Check => [
  field,
  Number.isSafeInteger(value) && value >= 0 && value <= maxCreditsPerOperation
    ? null
    : `must be a whole number of credits from 0 to ${maxCreditsPerOperation} (got ${value})`,
];

export const nonEmpty = (field: string, value: string | null | undefined): Check => [
  field,
  typeof value === 'string' && value.trim().length > 0 && value.length <= 200 ? null : 'must be a non-empty string of at most 200 characters',
];

export const validDate = (field: string, value: Date | null): Check => [
  field,
  value === null || !Number.isNaN(value.getTime()) ? null : 'must be a valid date',
];

export const rule = (field: string, holds: boolean, problem: string): Check => [field, holds ? null : problem];

/** The first failed check as an `invalid_input` error, or ok. */
export function validate(...checks: Check[]): Result<void, LedgerError> {
  for (const [field, problem] of checks) {
    if (problem !== null) return err({ code: 'invalid_input', field, message: `${field} ${problem}` });
  }
  return ok(undefined);
}

import { add, fraction, fractionOf, multiply, subtract, toNumber, type Fraction } from './decimal.js';
import type { BatchEntry } from './price-card-schema.js';

/**
 * The batch multiplier for `count` images, exactly. A count listed in the table uses its row;
 * a count between two rows is interpolated linearly between them. Because the card guarantees
 * multiplier/count never rises from row to row, it never rises between rows either.
 * Undefined for a count that is not a whole number from 1 to the table's last count.
 */
export function batchMultiplierFraction(table: readonly BatchEntry[], count: number): Fraction | undefined {
  if (!Number.isSafeInteger(count) || count < 1) return undefined;
  for (let i = 0; i < table.length; i++) {
    const upper = table[i];
    if (!upper || upper.count < count) continue;
    const upperMultiplier = fractionOf(upper.multiplier);
    const lower = table[i - 1];
    if (upper.count === count || !lower) return upper.count === count ? upperMultiplier : undefined;
    const lowerMultiplier = fractionOf(lower.multiplier);
    const position = fraction(BigInt(count - lower.count), BigInt(upper.count - lower.count));
    return add(lowerMultiplier, multiply(subtract(upperMultiplier, lowerMultiplier), position));
  }
  return undefined;
}

/** {@link batchMultiplierFraction} as a number, for display. */
export function batchMultiplier(table: readonly BatchEntry[], count: number): number | undefined {
  const exact = batchMultiplierFraction(table, count);
  return exact && toNumber(exact);
}

/** The largest batch the table prices. */
export const largestBatch = (table: readonly BatchEntry[]): number => table.at(-1)?.count ?? 1;

import { describe, expect, it } from 'vitest';
import { ceilFraction, compare, roundFraction, decimalPlaces, fraction, fractionOf, multiply } from '../../../../src/domain/pricing/decimal.js';

describe('exact decimal arithmetic', () => {
  it.each([
    [12, 0],
    [1.8, 1],
    [1.048576, 6],
    [0.0000001, 7],
    [1e21, 0],
  ])('counts the decimal places of %d as %d', (value, places) => {
    expect(decimalPlaces(value)).toBe(places);
  });

  it('reads a decimal as the operator wrote it, not as its binary approximation', () => {
    expect(fractionOf(1.8)).toEqual({ num: 9n, den: 5n });
    expect(fractionOf(0.1 + 0.2)).toEqual({ num: 7500000000000001n, den: 25000000000000000n });
  });

  it('rounds up only what is above a whole number', () => {
    expect(ceilFraction(fraction(121n))).toBe(121);
    expect(ceilFraction(fraction(1211n, 10n))).toBe(122);
    expect(ceilFraction(fraction(-5n, 2n))).toBe(-2);
  });

  it('keeps 110 × 1.1 at exactly 121, where floating point gives 121.00000000000001', () => {
    expect(110 * 1.1).toBeGreaterThan(121);
    expect(ceilFraction(multiply(fractionOf(110), fractionOf(1.1)))).toBe(121);
  });

  it('rounds halves away from zero exactly', () => {
    expect(roundFraction(fraction(5029n, 20n))).toBe(251); // 251.45
    expect(roundFraction(fraction(503n, 2n))).toBe(252); // 251.5
    expect(roundFraction(fraction(-503n, 2n))).toBe(-252);
  });

  it('compares equal fractions written differently as equal', () => {
    expect(compare(fraction(3n, 4n), fraction(15n, 20n))).toBe(0);
    expect(compare(fraction(3n, 4n), fraction(2n, 3n))).toBe(1);
  });

  it('keeps fractions in lowest terms with a positive denominator', () => {
    expect(fraction(6n, -4n)).toEqual({ num: -3n, den: 2n });
    expect(fraction(0n, 5n)).toEqual({ num: 0n, den: 1n });
  });

  it('refuses a zero denominator', () => {
    expect(() => fraction(1n, 0n)).toThrow(RangeError);
  });
});

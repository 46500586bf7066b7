/**
 * Exact arithmetic for prices. The card holds decimals such as 1.8 or 0.5; binary floats turn
 * `110 * 1.1` into 121.00000000000001, which `Math.ceil` would bump to 122. Every price is
 * therefore computed on fractions of bigints built from the decimal as the operator wrote it.
 */
export type Fraction = { readonly num: bigint; readonly den: bigint };

/** Most decimal places a card number may have; keeps fractions small and exact. */
export const MAX_DECIMAL_PLACES = 6;

/** Decimal places of a finite number as JavaScript prints it (its shortest round-trip form). */
export function decimalPlaces(value: number): number {
  const [mantissa = '', exponent = '0'] = String(Math.abs(value)).split('e');
  const fractionDigits = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fractionDigits - Number(exponent));
}

/** The exact fraction for the decimal a number prints as (1.8 → 18/10, not the binary 1.80000000000000004). */
export function fractionOf(value: number): Fraction {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
  const places = decimalPlaces(value);
  const scale = 10n ** BigInt(places);
  return fraction(BigInt(Math.round(value * 10 ** places)), scale);
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));

/** A fraction in lowest terms with a positive denominator. */
export const fraction = (num: bigint, den: bigint = 1n): Fraction => {
  if (den === 0n) throw new RangeError('Zero denominator');
  const divisor = gcd(num, den) * (den < 0n ? -1n : 1n);
  return { num: num / divisor, den: den / divisor };
};

export const multiply = (...factors: readonly Fraction[]): Fraction => factors.reduce((acc, f) => fraction(acc.num * f.num, acc.den * f.den), fraction(1n));

export const add = (a: Fraction, b: Fraction): Fraction => fraction(a.num * b.den + b.num * a.den, a.den * b.den);

export const subtract = (a: Fraction, b: Fraction): Fraction => add(a, { num: -b.num, den: b.den });

/** Negative, zero or positive as a is less than, equal to or greater than b. */
export const compare = (a: Fraction, b: Fraction): number => {
  const diff = a.num * b.den - b.num * a.den;
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
};

/** Smallest integer ≥ the fraction (exact). */
export function ceilFraction(f: Fraction): number {
  const { num, den } = f;
  const quotient = num / den;
  const ceiled = num % den !== 0n && num > 0n ? quotient + 1n : quotient;
  return Number(ceiled);
}

/** Nearest integer, halves rounded away from zero (exact: 251.5 → 252 even where floats say 251.4999…). */
export function roundFraction(f: Fraction): number {
  const magnitude = ((f.num < 0n ? -f.num : f.num) * 2n + f.den) / (2n * f.den);
  return Number(f.num < 0n ? -magnitude : magnitude);
}

export const toNumber = (f: Fraction): number => Number(f.num) / Number(f.den);

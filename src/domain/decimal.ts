/**
 * Exact decimal arithmetic for money and rates.
 *
 * Ratios and rates arrive as decimal strings ("0.8", "0.0110"); amounts are integer fen held as
 * bigint. A `Ratio` is an exact fraction of two bigints, so `amount × ratio` never touches binary
 * floating point, and rounding happens once, at the end, by `roundHalfUp`.
 */

export interface Ratio {
  /** numerator; the sign of the ratio lives here */
  readonly num: bigint;
  /** denominator, always > 0 */
  readonly den: bigint;
}

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Parses a decimal string ("0.15", "-1.2", "3") exactly; throws on anything else. */
export function parseDecimal(text: string): Ratio {
  const m = DECIMAL_RE.exec(text.trim());
  if (!m) throw new Error(`not a decimal number: ${JSON.stringify(text)}`);
  const [, sign, intPart, frac = ''] = m;
  const num = BigInt(intPart + frac) * (sign === '-' ? -1n : 1n);
  return normalize(num, 10n ** BigInt(frac.length));
}

export function ratio(num: bigint, den: bigint = 1n): Ratio {
  if (den === 0n) throw new RangeError('division by zero');
  return normalize(num, den);
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function normalize(num: bigint, den: bigint): Ratio {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

export const add = (a: Ratio, b: Ratio): Ratio => normalize(a.num * b.den + b.num * a.den, a.den * b.den);
export const sub = (a: Ratio, b: Ratio): Ratio => normalize(a.num * b.den - b.num * a.den, a.den * b.den);
export const mul = (a: Ratio, b: Ratio): Ratio => normalize(a.num * b.num, a.den * b.den);
export function div(a: Ratio, b: Ratio): Ratio {
  if (b.num === 0n) throw new RangeError('division by zero');
  return normalize(a.num * b.den, a.den * b.num);
}
export const compare = (a: Ratio, b: Ratio): -1 | 0 | 1 => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};
export const isInteger = (a: Ratio): boolean => a.den === 1n;

/** Rounds half away from zero ("四舍五入"), the rounding of fund-rules.md. */
export function roundHalfUp(a: Ratio): bigint {
  const abs = a.num < 0n ? -a.num : a.num;
  const q = (2n * abs + a.den) / (2n * a.den);
  return a.num < 0n ? -q : q;
}

/** Largest integer ≤ a. */
export function floor(a: Ratio): bigint {
  const q = a.num / a.den;
  return a.num < 0n && q * a.den !== a.num ? q - 1n : q;
}

/** `amountFen × ratio`, rounded half up to whole fen. */
export const applyRatio = (amountFen: bigint, r: Ratio): bigint => roundHalfUp(mul(ratio(amountFen), r));

/** Renders a ratio as a decimal string with exactly `places` fraction digits (rounded half up). */
export function formatDecimal(a: Ratio, places: number): string {
  const scaled = roundHalfUp(mul(a, ratio(10n ** BigInt(places))));
  const neg = scaled < 0n;
  const digits = (neg ? -scaled : scaled).toString().padStart(places + 1, '0');
  const int = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  return `${neg ? '-' : ''}${int}${places > 0 ? '.' + frac : ''}`;
}

/** Renders integer fen as yuan with two decimals ("1234.56"), for reports. */
export function fenToYuanString(fen: bigint): string {
  return formatDecimal(ratio(fen, 100n), 2);
}

/** A decimal text with thousands separators in its integer part: "-1234567.89" → "-1,234,567.89". */
export const groupThousands = (decimal: string): string =>
  decimal.replace(/^(-?)(\d+)/, (_m, sign: string, int: string) => sign + int.replace(/\B(?=(\d{3})+(?!\d))/g, ','));

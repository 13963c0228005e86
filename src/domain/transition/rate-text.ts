/**
 * Rates as exact decimal strings. A rate times a band, or a rate plus a step, is always a
 * terminating decimal, so it is rendered with every digit it needs — never rounded — and with at
 * least four fraction digits, the way rates are written in policy documents ("0.0110" = 1.1 %).
 */
import { compare, formatDecimal, parseDecimal, ratio, type Ratio } from '../decimal';

const MIN_RATE_PLACES = 4;
const ZERO = ratio(0n);

/** Parses a rate or amount-free ratio; negative values are a caller bug (loaded data is validated). */
export function parseNonNegative(text: string, what: string): Ratio {
  const value = parseDecimal(text);
  if (compare(value, ZERO) < 0) throw new RangeError(`${what} must not be negative: ${text}`);
  return value;
}

export const absRatio = (r: Ratio): Ratio => (r.num < 0n ? ratio(-r.num, r.den) : r);

/** Fraction digits needed to write `r` exactly, or null when its decimal expansion never ends. */
function exactPlaces(r: Ratio): number | null {
  let den = r.den;
  let twos = 0;
  let fives = 0;
  while (den % 2n === 0n) {
    den /= 2n;
    twos++;
  }
  while (den % 5n === 0n) {
    den /= 5n;
    fives++;
  }
  return den === 1n ? Math.max(twos, fives) : null;
}

/** Renders a rate (or a signed rate change) exactly; throws if it has no finite decimal form. */
export function formatRate(r: Ratio): string {
  const places = exactPlaces(r);
  if (places === null) throw new RangeError(`rate ${r.num}/${r.den} has no exact decimal form`);
  return formatDecimal(r, Math.max(places, MIN_RATE_PLACES));
}

/** A ratio for reports (ratios of money such as benefits ÷ contributions rarely terminate). */
export const formatRatio = (r: Ratio): string => formatDecimal(r, 4);

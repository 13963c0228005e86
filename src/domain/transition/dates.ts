/**
 * The dates a transition runs on: ISO calendar dates ('YYYY-MM-DD') and contribution periods
 * ('YYYY-MM', the normalized form of normalization-rules.md). Plain text, no Date, no time zone.
 */
import { parseYmd } from '../funds/due-dates';
import { civilFromDays, daysFromCivil, daysInMonth, formatYmd } from '../rules/calendar';

const PERIOD_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

function splitIsoDate(text: string): { y: number; m: number; d: number } {
  const parts = parseYmd(text);
  if (!parts) throw new RangeError(`not an ISO calendar date: ${JSON.stringify(text)}`);
  return parts;
}

/** Throws unless `text` is a real 'YYYY-MM-DD' date; returns it for chaining. */
export function checkIsoDate(text: string): string {
  splitIsoDate(text);
  return text;
}

/** Throws unless `text` is a 'YYYY-MM' contribution period; returns it for chaining. */
export function checkPeriod(text: string): string {
  if (!PERIOD_RE.test(text)) throw new RangeError(`not a contribution period 'YYYY-MM': ${JSON.stringify(text)}`);
  return text;
}

/**
 * The k-th anniversary of `start` (k = 0 is `start` itself). A 29 February start falls on
 * 28 February in common years, so every anniversary stays inside its own month.
 */
export function anniversary(start: string, k: number): string {
  const { y, m, d } = splitIsoDate(start);
  const year = y + k;
  return formatYmd(year, m, Math.min(d, daysInMonth(year, m)));
}

/** The contribution period a date falls in. */
export const periodOf = (isoDate: string): string => checkIsoDate(isoDate).slice(0, 7);

/** The calendar year of an ISO date. */
export const yearOf = (isoDate: string): number => Number(checkIsoDate(isoDate).slice(0, 4));

/** The day before an ISO date: the last day of the old rate when a re-banding takes effect. */
export function previousDay(isoDate: string): string {
  const { y, m, d } = splitIsoDate(isoDate);
  const prev = civilFromDays(daysFromCivil(y, m, d) - 1);
  return formatYmd(prev.y, prev.m, prev.d);
}

/** The period `n` months before a period ('2025-01', 3 → '2024-10'). */
export function periodMonthsBefore(period: string, n: number): string {
  checkPeriod(period);
  const index = Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1 - n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

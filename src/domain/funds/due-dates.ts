/**
 * Calendar arithmetic for installment due dates, on 'YYYY-MM-DD' text (no Date, no time zone).
 *
 * Month-end clamping: every due date is computed from the first due date (the anchor), never
 * from the previous due date, and a day that does not exist in the target month becomes that
 * month's last day. So a monthly plan anchored on 01-31 falls due on 02-28 (02-29 in a leap
 * year), 03-31, 04-30 … and never drifts to the 28th; a yearly plan anchored on a 02-29 falls
 * due on 02-28 in common years and on 02-29 again in leap years.
 */
import { daysInMonth, formatYmd, isRealDate } from '../rules/calendar';

export type Every = 'year' | 'quarter' | 'month';

export const MONTHS_PER_STEP: Readonly<Record<Every, number>> = { year: 12, quarter: 3, month: 1 };

const YMD_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The parts of a real 'YYYY-MM-DD' date, or null for anything else (bad shape or not a date). */
export function parseYmd(text: string): { y: number; m: number; d: number } | null {
  const match = YMD_RE.exec(text);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isRealDate(y, m, d) ? { y, m, d } : null;
}

export const isYmd = (text: string): boolean => parseYmd(text) !== null;

/** `date` plus `months` calendar months, clamped to the end of the target month. */
export function addMonthsClamped(date: string, months: number): string {
  const parts = parseYmd(date);
  if (!parts) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer: ${months}`);
  const index = parts.y * 12 + (parts.m - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const d = Math.min(parts.d, daysInMonth(y, m));
  if (!isRealDate(y, m, d)) throw new RangeError(`due date out of range: ${date} + ${months} months`);
  return formatYmd(y, m, d);
}

/** The `n` due dates of a plan: the anchor, then one step of `every` after another. */
export function dueDates(firstDue: string, n: number, every: Every): string[] {
  const step = MONTHS_PER_STEP[every];
  return Array.from({ length: n }, (_, i) => addMonthsClamped(firstDue, i * step));
}

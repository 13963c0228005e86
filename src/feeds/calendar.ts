/**
 * Dates and months as the province counts them: China Standard Time (Asia/Shanghai, UTC+8, no
 * daylight saving since 1991), so a run at 01:00 local time on the 1st belongs to that day, not
 * to the previous UTC day. Pure: instants are passed in.
 */
const CST_OFFSET_MS = 8 * 3_600_000;

export const FEED_TIME_ZONE = 'Asia/Shanghai';

/** 'YYYY-MM-DD' of an instant in China Standard Time. */
export function cstDate(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:MM:SS' of an instant in China Standard Time: how every time is shown to people
 * (reports, `schedules list`, `feeds status`), never UTC. */
export function cstDateTime(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** An ISO 8601 instant in China Standard Time ('2026-12-08T02:00:00+08:00'): what JSON output
 * carries, readable by people and machines alike. */
export const cstIso = (instant: Date): string => `${cstDateTime(instant).replace(' ', 'T')}+08:00`;

/** '2026年12月7日': a date as a provincial office writes it (制表日期). */
export function cstDateChinese(instant: Date): string {
  const [y, m, d] = cstDate(instant).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 'YYYY-MM' of an instant in China Standard Time. */
export const cstMonth = (instant: Date): string => cstDate(instant).slice(0, 7);

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const isMonth = (text: string): boolean => MONTH.test(text);

/** The month `n` months after `month` (negative n: before). */
export function addMonths(month: string, n: number): string {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`not a YYYY-MM month: ${JSON.stringify(month)}`);
  const index = Number(m[1]) * 12 + Number(m[2]) - 1 + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `first` to `last` inclusive (empty when first is after last). */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) months.push(m);
  return months;
}

/** The closed months a monthly feed owes as of an instant: after `lastSent` (or from `firstMonth`)
 * up to the month before the current one. */
export function closedMonthsDue(asOf: Date, firstMonth: string, lastSent: string | null): string[] {
  const lastClosed = addMonths(cstMonth(asOf), -1);
  const from = lastSent ? addMonths(lastSent, 1) : firstMonth;
  return monthsBetween(from < firstMonth ? firstMonth : from, lastClosed);
}

/** First and last day ('YYYY-MM-DD') of a month. */
export function monthRange(month: string): { from: string; to: string } {
  const next = addMonths(month, 1);
  const last = new Date(Date.UTC(Number(next.slice(0, 4)), Number(next.slice(5, 7)) - 1, 1) - 86_400_000);
  return { from: `${month}-01`, to: last.toISOString().slice(0, 10) };
}

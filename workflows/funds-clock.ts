/**
 * Calendar days of the finance bureau: due dates are dates in China Standard Time (UTC+8, no
 * daylight saving), so an installment due on D is overdue from 00:00 CST on the day after D.
 */
const CST_OFFSET_MS = 8 * 3_600_000;

/** The date in China at an instant, 'YYYY-MM-DD'. */
export const chinaDate = (epochMs: number): string => new Date(epochMs + CST_OFFSET_MS).toISOString().slice(0, 10);

/** The instant an installment due on `dueDate` becomes overdue: the start of the next day in China. */
export function overdueAt(dueDate: string): number {
  const [y, m, d] = dueDate.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d + 1) - CST_OFFSET_MS;
}

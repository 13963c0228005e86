/**
 * The load date (入库日期) of a run: every date-range rule refuses dates after it (date.range; birth
 * dates in IDs, update timestamps, periods by month). Given as `migrate --load-date`, a manifest's
 * `load_date` (province-wide or per city) or `mapping check --load-date`; a run without one checks
 * each source file against the day it was registered (China time). Recorded on the mapping
 * version the run normalizes under (pipeline.mapping_version.load_date) and in its report.
 */
import { z } from 'zod';
import { isRealDate } from '../domain/rules/calendar';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export const LoadDateSchema = z.string().refine(isIsoDate, { message: 'a load date is a real date written YYYY-MM-DD' });

/** A --load-date flag's value, or a clear error naming the flag. */
export function parseLoadDateFlag(text: string, flag = '--load-date'): string {
  if (!isIsoDate(text)) throw new Error(`${flag} ${JSON.stringify(text)}: a load date is a real date written YYYY-MM-DD`);
  return text;
}

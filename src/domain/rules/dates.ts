/**
 * Dates ('YYYY-MM-DD') and contribution periods ('YYYY-MM') from every form the cities use:
 * Excel serials (1900 and 1904 systems), ISO and SQL text, 2017/6/22, 2017.6.22, 20170622,
 * 2017年6月22日. Time parts of timestamps are dropped as written (no time-zone shifting).
 */
import type { RawCell } from '../../extract/types';
import { civilFromDays, daysFromCivil, formatYmd, isRealDate } from './calendar';
import { fail, ok, type RuleResult } from './result';
import { cleanCell } from './text';

/** As the mapping declares it (mapping schema `date_style`):
 * - 'auto': a numeric cell is an Excel serial; text in any accepted form;
 * - 'excel_serial': also text holding a plain number (a CSV saved from Excel) is a serial;
 * - 'yyyymmdd': a numeric cell holds the digits YYYYMMDD. */
export type DateStyle = 'auto' | 'excel_serial' | 'yyyymmdd';

export interface DateOptions {
  style?: DateStyle;
  /** the workbook uses the 1904 date system (Mac Excel) */
  date1904?: boolean;
  /** YYYY-MM-DD: later dates are out of range */
  loadDate: string;
}

export const EARLIEST_DATE = '1950-01-01';

interface Ymd {
  y: number;
  m: number;
  d: number;
}

/** Excel's largest serial, 9999-12-31 in the 1900 system. */
const MAX_SERIAL_1900 = 2958465;
const EPOCH_1900 = daysFromCivil(1899, 12, 31); // serial 1 = 1900-01-01
const EPOCH_1900_AFTER_PHANTOM = daysFromCivil(1899, 12, 30); // serial 61 = 1900-03-01
const EPOCH_1904 = daysFromCivil(1904, 1, 1); // serial 0 = 1904-01-01

/**
 * A serial's whole days (the fraction is the time of day). The 1900 system counts Lotus 1-2-3's
 * phantom 1900-02-29 as serial 60: it is not a real date, and every later serial is one day ahead.
 */
function fromSerial(serial: number, date1904: boolean): Ymd | null {
  if (!Number.isFinite(serial) || serial < 0) return null;
  const whole = Math.floor(serial);
  if (date1904) return whole <= MAX_SERIAL_1900 - 1462 ? civilFromDays(EPOCH_1904 + whole) : null;
  if (whole === 0 || whole === 60 || whole > MAX_SERIAL_1900) return null;
  return civilFromDays((whole < 60 ? EPOCH_1900 : EPOCH_1900_AFTER_PHANTOM) + whole);
}

const SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const CHINESE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/u;

function fromText(text: string): Ymd | null {
  const sep = SEPARATED.exec(text);
  if (sep) {
    const [h = '0', min = '0', s = '0'] = sep.slice(5).map((v) => v ?? '0');
    if (Number(h) > 23 || Number(min) > 59 || Number(s) > 60) return null;
    return { y: Number(sep[1]), m: Number(sep[3]), d: Number(sep[4]) };
  }
  const m = COMPACT.exec(text) ?? CHINESE.exec(text);
  return m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : null;
}

/** An integer of 8 digits is far beyond Excel's last serial, so it can only be YYYYMMDD. */
const isCompactDateNumber = (n: number): boolean => Number.isInteger(n) && n >= 10000101 && n <= 99991231;

/** The calendar date a cell holds, or null when it holds none (unparseable or not a real date). */
function readDate(raw: RawCell, style: DateStyle, date1904: boolean): Ymd | null {
  let ymd: Ymd | null;
  if (typeof raw === 'boolean' || raw === null) return null;
  if (typeof raw === 'number') {
    ymd = style === 'yyyymmdd' || isCompactDateNumber(raw)
      ? Number.isInteger(raw) ? fromText(String(raw)) : null
      : fromSerial(raw, date1904);
  } else {
    const text = cleanCell(raw);
    ymd = style === 'excel_serial' && /^\d+(\.\d+)?$/.test(text) ? fromSerial(Number(text), date1904) : fromText(text);
  }
  return ymd && isRealDate(ymd.y, ymd.m, ymd.d) ? ymd : null;
}

export function parseDate(raw: RawCell, options: DateOptions): RuleResult<string> {
  const ymd = readDate(raw, options.style ?? 'auto', options.date1904 ?? false);
  if (!ymd) return fail({ code: 'date.format', detail: String(raw) });
  const date = formatYmd(ymd.y, ymd.m, ymd.d);
  if (date < EARLIEST_DATE || date > options.loadDate) return fail({ code: 'date.range', detail: date });
  return ok(date);
}

const PERIOD_COMPACT = /^(\d{4})(\d{2})$/;
const PERIOD_SEPARATED = /^(\d{4})[-/.](\d{1,2})$/;
const PERIOD_CHINESE = /^(\d{4})\s*年\s*(\d{1,2})\s*月份?$/u;

/** Year and month of a period form, or null when the cell is not one (it may still be a date). */
function readPeriodForm(raw: RawCell): { y: number; m: number } | null {
  // A 6-digit number is YYYYMM: as an Excel serial it would be a date after 2173.
  if (typeof raw === 'number' && !(Number.isInteger(raw) && raw >= 100000 && raw <= 999999)) return null;
  const text = cleanCell(raw);
  const m = PERIOD_COMPACT.exec(text) ?? PERIOD_SEPARATED.exec(text) ?? PERIOD_CHINESE.exec(text);
  return m ? { y: Number(m[1]), m: Number(m[2]) } : null;
}

/** A contribution period (费款所属期) 'YYYY-MM': YYYYMM, YYYY-MM, YYYY/MM, YYYY年M月, or any date
 * form (its month is taken). In range when its month is neither before 1950-01 nor after the
 * load date's month. */
export function parsePeriod(raw: RawCell, options: DateOptions): RuleResult<string> {
  const style = options.style ?? 'auto';
  // a declared style says what a numeric cell is; only 'auto' lets a 6-digit number be YYYYMM
  const form = typeof raw === 'number' && style !== 'auto' ? null : readPeriodForm(raw);
  const ym = form ?? readDate(raw, style, options.date1904 ?? false);
  if (!ym || ym.m < 1 || ym.m > 12 || ym.y < 1) return fail({ code: 'date.format', detail: String(raw) });
  const period = formatYmd(ym.y, ym.m, 1).slice(0, 7);
  if (period < EARLIEST_DATE.slice(0, 7) || period > options.loadDate.slice(0, 7)) {
    return fail({ code: 'date.range', detail: period });
  }
  return ok(period);
}

/**
 * Source update timestamps (更新时间), for latest-wins (normalization-rules.md, "Duplicates and
 * conflicts"): read as an instant so rows compare by time, not by text. Wall-clock times without
 * a zone are China Standard Time (UTC+8, no daylight saving); Excel serials carry the time of day
 * in their fraction. Out of range like any date: before 1950 or after the load date.
 */
import type { RawCell } from '../../extract/types';
import { civilFromDays, daysFromCivil, formatYmd, isRealDate } from '../rules/calendar';
import { EARLIEST_DATE } from '../rules/dates';
import { fail, ok, type RuleResult } from '../rules/result';
import { cleanCell } from '../rules/text';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 2023-05-06 07:08:09(.123)(Z|+08:00), with - / . between date parts and T or space before the
 * time; 20230506070809; 2023年5月6日 7:08:09; a date alone is its midnight. */
const SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/;
const CHINESE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?\s*(?:(\d{1,2})[:时](\d{2})(?:[:分](\d{2})秒?)?)?$/u;

interface Parts {
  y: number;
  m: number;
  d: number;
  h: number;
  min: number;
  s: number;
  ms: number;
  zone: string;
}

const EPOCH_1900 = daysFromCivil(1899, 12, 30); // serials from 61 on (after the phantom 1900-02-29)
const EPOCH_1904 = daysFromCivil(1904, 1, 1);

function fromSerial(serial: number, date1904: boolean): Parts | null {
  // serials before 1900-03-01 are before the earliest date anyway
  if (!Number.isFinite(serial) || serial < (date1904 ? 0 : 61) || serial > 2958465) return null;
  const whole = Math.floor(serial);
  // the fraction is the time of day; round to the millisecond Excel can display
  let ms = Math.round((serial - whole) * 86_400_000);
  let days = (date1904 ? EPOCH_1904 : EPOCH_1900) + whole;
  if (ms >= 86_400_000) {
    days++;
    ms -= 86_400_000;
  }
  const { y, m, d } = civilFromDays(days);
  return { y, m, d, h: Math.floor(ms / 3_600_000), min: Math.floor(ms / 60_000) % 60, s: Math.floor(ms / 1000) % 60, ms: ms % 1000, zone: '+08:00' };
}

function fromText(text: string): Parts | null {
  const sep = SEPARATED.exec(text);
  const m = sep ? [sep[1], sep[3], sep[4], sep[5], sep[6], sep[7], sep[8], sep[9]] : (COMPACT.exec(text) ?? CHINESE.exec(text))?.slice(1);
  if (!m) return null;
  const [y, mo, d, h = '0', min = '0', s = '0', frac = '', zone] = m;
  const z = zone === undefined ? '+08:00' : zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  return { y: Number(y), m: Number(mo), d: Number(d), h: Number(h), min: Number(min), s: Number(s), ms: Number(frac.padEnd(3, '0').slice(0, 3)), zone: z };
}

/** An ISO 8601 instant with its zone ('2023-05-06T07:08:09.000+08:00'), for a timestamptz column. */
export function parseUpdateTimestamp(raw: RawCell, options: { date1904?: boolean; loadDate: string }): RuleResult<string> {
  if (raw === null || typeof raw === 'boolean') return fail({ code: 'date.format', detail: String(raw) });
  const p = typeof raw === 'number' ? fromSerial(raw, options.date1904 ?? false) : fromText(cleanCell(raw));
  if (!p || !isRealDate(p.y, p.m, p.d) || p.h > 23 || p.min > 59 || p.s > 59) return fail({ code: 'date.format', detail: String(raw) });
  const date = formatYmd(p.y, p.m, p.d);
  if (date < EARLIEST_DATE || date > options.loadDate) return fail({ code: 'date.range', detail: date });
  return ok(`${date}T${pad(p.h)}:${pad(p.min)}:${pad(p.s)}.${pad(p.ms, 3)}${p.zone}`);
}

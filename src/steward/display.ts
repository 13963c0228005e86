/**
 * How a value reads to a steward (pure): fields by their Chinese label — the city source's own
 * header where the mapping has one, else the provincial field-label table —, cities by name,
 * money as yuan with thousands separators (exact, from integer fen), Excel date serials as dates,
 * provincial codes by what they mean, and nested values as 标签：值 lists, never as JSON.
 */
import { CODE_LABELS } from '../../mappings/province/code-labels';
import { divisionName } from '../../mappings/province/divisions';
import { fenToYuanString, groupThousands } from '../domain/decimal';
import { parseDate } from '../domain/rules/dates';
import type { TableMapping } from '../mapping/schema';
import { provincialFieldLabel } from './field-labels';
import type { Lang } from './reason-texts';
import { cstDateTime } from '../feeds/calendar';

/** 123456 fen → "1,234.56"; exact for any size (bigint arithmetic, no floats). */
export const formatYuan = (fen: bigint | string | number): string => groupThousands(fenToYuanString(BigInt(fen)));

/** Fields that hold a calendar date (an Excel serial in a spreadsheet cell). */
export const isDateField = (field: string): boolean => /(^|_)date$/.test(field) || field === 'insured_from';

/** The header text each field's column is found by in the city's file (not SQL column names). */
export function sourceHeaders(table: TableMapping | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, col] of Object.entries(table?.columns ?? {})) {
    const header = col.header ?? col.aliases[0];
    if (header) out[field] = header;
  }
  return out;
}

/** A field's label: the source's header where there is one, else the provincial label. */
export const fieldLabel = (entity: string, field: string, lang: Lang, headers: Readonly<Record<string, string>> = {}): string =>
  headers[field] ?? provincialFieldLabel(entity, field, lang);

/** A city or district by name (长沙市), its code when the division table does not know it. */
export const cityName = (code: string | null | undefined): string => (code ? (divisionName(code) ?? code) : '');

/** An Excel serial in a date field as the date it means (the 1900 or 1904 system); null otherwise. */
export function serialAsDate(field: string, value: unknown, date1904: boolean): string | null {
  if (!isDateField(field) || typeof value !== 'number') return null;
  const read = parseDate(value, { loadDate: '9999-12-31', date1904 });
  return read.ok ? read.value : null;
}

const EMPTY = '∅';

/** A raw cell as the steward reads it: empty visibly empty, a date serial as a date. */
export function cellText(field: string, value: unknown, date1904 = false): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  const date = serialAsDate(field, value, date1904);
  if (date) return date;
  if (typeof value === 'object') return nestedText('', value as Record<string, unknown>, 'zh');
  return String(value);
}

/** The meaning of a provincial code of `field` (M → 男), or null. */
export function codeLabel(field: string, code: string, lang: Lang): string | null {
  return CODE_LABELS[field]?.[code]?.[lang] ?? null;
}

function nestedText(entity: string, value: Record<string, unknown> | unknown[], lang: Lang): string {
  if (Array.isArray(value)) return value.map((v) => (v && typeof v === 'object' ? nestedText(entity, v as Record<string, unknown>, lang) : String(v))).join('、');
  const parts = Object.entries(value).map(([k, v]) => `${provincialFieldLabel(entity, k, lang)}${lang === 'zh' ? '：' : ': '}${recordValueText(entity, k, v, lang)}`);
  return parts.length ? parts.join(lang === 'zh' ? '；' : '; ') : EMPTY;
}

/**
 * A value of a record (normalized payload) as text: `*_fen` amounts in yuan, division codes by
 * name, codes by meaning, booleans as 是/否, nested values as a label list.
 */
export function recordValueText(entity: string, key: string, value: unknown, lang: Lang): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  if (/_fen$/.test(key) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') && /^-?\d+$/.test(String(value))) {
    return `${formatYuan(String(value))}${lang === 'zh' ? ' 元' : ' yuan'}`;
  }
  if ((key === 'city_code' || key === 'division_code') && typeof value === 'string') {
    const name = divisionName(value);
    return name ? `${name}（${value}）` : value;
  }
  if (typeof value === 'boolean') return lang === 'zh' ? (value ? '是' : '否') : value ? 'yes' : 'no';
  if (typeof value === 'object') return nestedText(entity, value as Record<string, unknown>, lang);
  const code = codeLabel(key, String(value), lang);
  return code ?? String(value);
}

/** An instant as China Standard Time (UTC+8), to the minute or second: what stewards read. */
export function chinaTime(iso: string | Date, seconds = false): string {
  return cstDateTime(new Date(typeof iso === 'string' ? iso : iso.getTime())).slice(0, seconds ? 19 : 16);
}

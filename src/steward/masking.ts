/**
 * Personal data (个人信息) is masked wherever the workbench shows a row, unless the viewer has
 * the reveal permission and asked for it (an audited act): resident IDs as `430102********123X`,
 * names as the first character and one `*` per further character, phone numbers, addresses and
 * bank accounts by their ends only, birth dates entirely.
 */
import type { RawCell } from '../extract/types';
import { maskIdNumber } from '../log';

export type PersonalKind = 'id' | 'name' | 'phone' | 'text' | 'date';

/** Entities whose `name` is an organisation's, not a person's. */
const ORGANISATION_ENTITIES = new Set(['employer']);

/** What kind of personal data a mapped field holds, by its name; null when it is not personal. */
export function personalKind(entity: string, field: string): PersonalKind | null {
  const f = field.toLowerCase();
  if (/(^|_)id_(number|no|card)$|^id_number|(^|_)resident_id/.test(f)) return 'id';
  if (f === 'name') return ORGANISATION_ENTITIES.has(entity) ? null : 'name';
  if (/^(person|insured|worker|injured|applicant|dependent|contact|legal_rep)_name$/.test(f)) return 'name';
  if (/(phone|mobile|tel)$/.test(f)) return 'phone';
  if (/(address|bank_account|account_no|email)$/.test(f)) return 'text';
  if (/^birth_date$|_birth_date$/.test(f)) return 'date';
  return null;
}

/** 张三 → 张*, 欧阳娜娜 → 欧***, 买买提·艾力 → 买*****. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  return chars.length <= 1 ? '*'.repeat(chars.length) : chars[0] + '*'.repeat(chars.length - 1);
}

/** Keeps the first 3 and last 4 characters of longer texts, hides shorter ones entirely. */
function maskEnds(text: string): string {
  const chars = [...text];
  if (chars.length <= 7) return '*'.repeat(chars.length);
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
}

export function maskValue(kind: PersonalKind, raw: RawCell): RawCell {
  if (raw === null || raw === '') return raw;
  const text = String(raw);
  switch (kind) {
    case 'id':
      return maskIdNumber(text.trim());
    case 'name':
      return maskName(text);
    case 'date':
      return text.replace(/\d/g, '*');
    default:
      return maskEnds(text.trim());
  }
}

/** Runs of ID-like characters (10 or more digits, X or full-width digits) inside free text. */
const ID_LIKE_RUN = /[0-9０-９]{6}[0-9０-９Xx]{4,}/g;

/** Masks resident IDs wherever they appear in a text (reason details quote the raw value). */
export function maskIdsInText(text: string): string {
  return text.replace(ID_LIKE_RUN, (run) => maskIdNumber(run));
}

/** A row by field name with every personal field masked. */
export function maskFields(entity: string, fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    const kind = personalKind(entity, field);
    // a record's extras (mapping `extra:` fields) are named like fields: a phone there is a phone
    if (field === 'extra' && value !== null && typeof value === 'object' && !Array.isArray(value)) out[field] = maskFields(entity, value as Record<string, unknown>);
    else out[field] = kind && (value === null || ['string', 'number', 'boolean'].includes(typeof value)) ? maskValue(kind, value as RawCell) : value;
  }
  return out;
}

/** A reason detail with personal data masked: a detail about a name field is hidden entirely. */
export function maskDetail(entity: string, field: string | undefined, detail: string | undefined): string | undefined {
  if (detail === undefined) return undefined;
  const kind = field ? personalKind(entity, field) : null;
  if (kind === 'name' || kind === 'phone' || kind === 'text') return String(maskValue(kind, detail));
  return maskIdsInText(detail);
}

/** Is `value` the masked form of `original` (an unedited cell of a masked workbook or form)? */
export function isMaskOf(entity: string, field: string, value: RawCell, original: RawCell): boolean {
  const kind = personalKind(entity, field);
  if (!kind || value === null || original === null) return false;
  return String(value) === String(maskValue(kind, original)) && String(value) !== String(original);
}

/** Masks personal fields wherever they sit in a JSON value (audit before/after), conservatively:
 * any `name` counts as a person's. */
export function maskDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => {
        const kind = personalKind('', k);
        return [k, kind && (v === null || ['string', 'number'].includes(typeof v)) ? maskValue(kind, v as RawCell) : maskDeep(v)];
      }),
    );
  }
  return typeof value === 'string' ? maskIdsInText(value) : value;
}

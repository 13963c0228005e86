/**
 * Reading a row's mapped fields through the provincial rules, gathering every reason and every
 * reference on the way. Record kinds (src/domain/records) are written in terms of it, so each rule
 * — units, date styles, code tables, legacy keys — is applied the same way for every entity.
 */
import type { RawCell } from '../../extract/types';
import { translateCode } from '../rules/codes';
import { parseDate, parsePeriod } from '../rules/dates';
import { employerKey } from '../rules/employer-key';
import { toFen } from '../rules/money';
import { normalizeName } from '../rules/names';
import { normalizeIdNumber, type ResidentId } from '../rules/resident-id';
import { fail, ok, type Reason, type RuleResult } from '../rules/result';
import { cellText, isBlankCell, numberText, toHalfWidth, trimText } from '../rules/text';
import { RuleCollector } from './combine';
import { cityRefToken, naturalKey } from './natural-key';
import type { Fields, NormalizeContext, RecordPart, Reference, RowResult } from './types';

/**
 * A spreadsheet number as Excel shows it: at most 15 significant digits. A formula result such
 * as 0.1 + 0.2 is stored as the double 0.30000000000000004 while Excel displays (and the clerk
 * meant) 0.3; rounding the double to 15 significant digits before the exact decimal conversion
 * gives back what the sheet shows. Only numeric cells of amount and rate columns go through this;
 * text is read digit for digit, so "0.30000000000000004" typed as text is still refused.
 */
export function spreadsheetNumber(raw: RawCell): RawCell {
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw === 0) return raw;
  // most amounts are whole fen: the double nearest a decimal of at most 15 digits, which
  // 15-digit rounding gives back unchanged (toPrecision was a tenth of a contribution row's cost)
  const cents = Math.round(raw * 100);
  if (cents / 100 === raw && Math.abs(cents) < 1e15) return raw;
  return Number(raw.toPrecision(15));
}

/**
 * A city legacy key (单位编号, 认定书编号) as trimmed text; a numeric cell holding one is read as its
 * integer text (1001.0 → '1001'); null when empty.
 */
export function legacyKeyText(raw: RawCell): string | null {
  if (raw === null || typeof raw === 'boolean') return null;
  if (typeof raw === 'number') return numberText(raw);
  const text = trimText(raw);
  return text === '' ? null : text;
}

const RATE = /^([+-]?)(\d*)(?:\.(\d*))?\s*(%|‰)?$/u;

/** A rate (费率) as a decimal string: 0.005, '0.5%', '5‰', full-width digits → '0.005'. */
export function parseRate(raw: RawCell): RuleResult<string> {
  const text = trimText(toHalfWidth(cellText(spreadsheetNumber(raw)) ?? ''));
  const m = RATE.exec(text);
  if (!m || (m[2] ?? '') + (m[3] ?? '') === '' || m[1] === '-') return fail({ code: 'rate.format', detail: String(raw) });
  const shift = m[4] === '%' ? 2 : m[4] === '‰' ? 3 : 0;
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const point = (m[2] ?? '').length - shift;
  const padded = point <= 0 ? '0'.repeat(1 - point) + digits : digits;
  const at = Math.max(point, 1);
  const int = padded.slice(0, at).replace(/^0+(?=\d)/, '');
  const frac = padded.slice(at).replace(/0+$/, '');
  return ok(frac ? `${int}.${frac}` : int);
}

/**
 * The fields of `values` that hold a value. Fields added to a record kind later are left out of
 * its payload while empty, so a row that does not have them hashes as it did before they existed
 * (content hashes of records already in the province stay comparable).
 */
export function present<T extends Record<string, unknown>>(values: T): Partial<{ [K in keyof T]: NonNullable<T[K]> }> {
  const out: Record<string, unknown> = {};
  // keys and a read per key, not Object.entries' array per entry: the same entries in the same order
  for (const k of Object.keys(values)) {
    const v = values[k];
    if (v !== null && v !== undefined) out[k] = v;
  }
  return out as Partial<{ [K in keyof T]: NonNullable<T[K]> }>;
}

export interface ReadOptions {
  /** a required field refuses an empty cell with its rule's reason; an optional one reads as null */
  required?: boolean;
}

export class FieldReader {
  readonly c = new RuleCollector();
  readonly refs: Reference[] = [];

  constructor(
    readonly fields: Fields,
    readonly ctx: NormalizeContext,
  ) {}

  raw(field: string): RawCell {
    return this.fields[field] ?? null;
  }

  /** bound by the mapping and not empty */
  present(field: string): boolean {
    return !isBlankCell(this.raw(field));
  }

  private optional<T>(field: string, required: boolean | undefined, read: () => T | undefined): T | null | undefined {
    if (required === false && !this.present(field)) {
      this.c.normalized[field] = null;
      return null;
    }
    return read();
  }

  name(field = 'name'): string | undefined {
    return this.c.value(field, normalizeName(this.raw(field)));
  }

  idNumber(field = 'id_number'): ResidentId | undefined {
    return this.c.value(field, normalizeIdNumber(this.raw(field), this.ctx.loadDate));
  }

  /** Integer fen as decimal text (payloads are JSON; the tables hold bigint). */
  amount(field: string, opts: ReadOptions = {}): string | null | undefined {
    const col = this.ctx.columns[field];
    return this.optional(field, opts.required ?? true, () => {
      const fen = this.c.value(field, toFen(spreadsheetNumber(this.raw(field)), col?.unit ?? 'yuan', { allowNegative: col?.allow_negative }));
      if (fen === undefined) return undefined;
      this.c.normalized[field] = fen.toString();
      return fen.toString();
    });
  }

  rate(field: string, opts: ReadOptions = {}): string | null | undefined {
    return this.optional(field, opts.required ?? false, () => this.c.value(field, parseRate(this.raw(field))));
  }

  date(field: string, opts: ReadOptions = {}): string | null | undefined {
    const style = this.ctx.columns[field]?.date_style as 'auto' | 'yyyymmdd' | 'excel_serial' | undefined;
    return this.optional(field, opts.required ?? true, () =>
      this.c.value(field, parseDate(this.raw(field), { style, date1904: this.ctx.date1904, loadDate: this.ctx.loadDate })),
    );
  }

  period(field: string, opts: ReadOptions = {}): string | null | undefined {
    const style = this.ctx.columns[field]?.date_style as 'auto' | 'yyyymmdd' | 'excel_serial' | undefined;
    return this.optional(field, opts.required ?? true, () =>
      this.c.value(field, parsePeriod(this.raw(field), { style, date1904: this.ctx.date1904, loadDate: this.ctx.loadDate })),
    );
  }

  /**
   * A coded field to the provincial enumeration `allowed`: through the column's city code table
   * where the mapping declares one (falling back to `parse` for the forms the province reads
   * itself, such as 一级), else by `parse`, else the raw value must already be provincial.
   */
  code<T extends string>(field: string, allowed: readonly T[], opts: ReadOptions & { parse?: (raw: RawCell, field: string) => RuleResult<T | null> } = {}): T | null | undefined {
    const raw = this.raw(field);
    const tableName = this.ctx.columns[field]?.codes;
    const table = tableName ? this.ctx.codes[tableName] : undefined;
    // an empty optional cell is "none", unless the city's table gives the empty code a meaning
    if (opts.required === false && !this.present(field) && !(table && Object.hasOwn(table, ''))) return this.optional(field, false, () => null);
    let result: RuleResult<T | null>;
    if (table) {
      const translated = translateCode(raw, table, field);
      if (translated.ok && translated.value === '' && opts.required === false) {
        // the city's code for "none" (护理等级 0 = 无)
        result = ok(null);
      } else if (translated.ok) {
        result = (allowed as readonly string[]).includes(translated.value)
          ? ok(translated.value as T)
          : fail({ code: 'code.unmapped', field, detail: `${String(raw)} → ${translated.value}, not a provincial value` });
      } else result = opts.parse ? opts.parse(raw, field) : translated;
    } else if (opts.parse) {
      result = opts.parse(raw, field);
    } else {
      const text = trimText(toHalfWidth(cellText(raw) ?? ''));
      result = (allowed as readonly string[]).includes(text) ? ok(text as T) : fail({ code: 'code.unmapped', field, detail: String(raw) });
    }
    return this.c.value(field, result);
  }

  /** A free provincial code (a spell's status): through the code table where one is declared. */
  text(field: string): string | null | undefined {
    if (!this.present(field)) return this.optional(field, false, () => null);
    const tableName = this.ctx.columns[field]?.codes;
    const table = tableName ? this.ctx.codes[tableName] : undefined;
    if (table) return this.c.value(field, translateCode(this.raw(field), table, field));
    return this.c.value(field, ok(trimText(toHalfWidth(cellText(this.raw(field)) ?? ''))));
  }

  legacyKey(field: string): string | null {
    const key = legacyKeyText(this.raw(field));
    this.c.normalized[field] = key;
    return key;
  }

  reason(reason: Reason): void {
    this.c.reasons.push(reason);
  }

  /**
   * The employer a row belongs to, as the part of a natural key that names it: by USC code (or
   * organization code) — a national identifier, resolving province-wide — else by the city's
   * legacy employer number, resolving within the city. `field` receives the employer's id.
   */
  employerRef(field = 'employer_id', { usc = 'employer_usc', org = 'employer_org', legacy = 'employer_no' } = {}): string | undefined {
    if (this.present(usc) || this.present(org)) {
      const key = this.c.value(this.present(usc) ? usc : org, employerKey(this.raw(usc), this.raw(org), this.ctx.uscExceptions));
      if (!key) return undefined;
      this.refs.push({ field, entity: 'employer', by: 'natural_key', value: key.key, missingCode: 'reference.employer_missing' });
      return key.key;
    }
    const no = this.legacyKey(legacy);
    if (no === null) {
      this.reason({ code: 'reference.employer_missing', field: legacy, detail: 'no employer given' });
      return undefined;
    }
    this.refs.push({ field, entity: 'employer', by: 'city_key', value: no, missingCode: 'reference.employer_missing', inKey: true });
    return cityRefToken('employer', no);
  }

  /** The person a row is about, by resident ID (province-wide). */
  personRef(field = 'person_id', idField = 'id_number', opts: ReadOptions = {}): string | null | undefined {
    if (opts.required === false && !this.present(idField)) return null;
    const id = this.idNumber(idField);
    if (!id) return undefined;
    this.refs.push({ field, entity: 'person', by: 'natural_key', value: id.id, missingCode: 'reference.person_missing' });
    return id.id;
  }

  /** The injury case a row belongs to: (city, case number), the case's natural key. */
  caseRef(field = 'case_id', caseField = 'case_no'): string | undefined {
    const no = this.legacyKey(caseField);
    if (no === null) {
      this.reason({ code: 'reference.case_missing', field: caseField, detail: 'no case number given' });
      return undefined;
    }
    const key = naturalKey(this.ctx.cityCode, no);
    this.refs.push({ field, entity: 'injury_case', by: 'natural_key', value: key, missingCode: 'reference.case_missing' });
    return key;
  }

  get failed(): boolean {
    return this.c.failed;
  }

  rejected(): RowResult {
    return { kind: 'rejected', reasons: this.c.reasons, normalized: this.c.normalized, warnings: this.c.warnings, refs: this.refs };
  }

  /** The row's record parts, or its rejection when any rule failed. `parts` runs only when none did. */
  result(parts: () => RecordPart[]): RowResult {
    if (this.failed) return this.rejected();
    return { kind: 'record', parts: parts(), warnings: this.c.warnings, updatedAt: null };
  }
}

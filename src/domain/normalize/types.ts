import type { RawCell } from '../../extract/types';
import type { Reason } from '../rules/result';

/** skip.table: the row belongs to a sheet/table the mapping declares `skip: true` (a code table) */
export type SkipCode = 'skip.blank' | 'skip.header' | 'skip.subtotal' | 'skip.table';

/** A reference from a record to another entity, resolved when loading: by the other entity's
 * natural key (national identifiers resolve province-wide) or by a city legacy key (within the city). */
export interface Reference {
  /** payload field that receives the referenced record's id */
  field: string;
  entity: 'employer' | 'person' | 'injury_case';
  by: 'natural_key' | 'city_key';
  value: string;
  /** reason code when it does not resolve, e.g. reference.employer_missing */
  missingCode: string;
  /** the record's natural key holds `cityRefToken(entity, value)` in place of the referenced
   * record's natural key, which is only known once the city key resolves (see natural-key.ts) */
  inKey?: boolean;
}

/** One provincial record a row produces. A row produces its primary record (part 0) and maybe
 * records it also feeds (a person row with a spell also yields the person). */
export interface RecordPart {
  entity: string;
  naturalKey: string;
  payload: Record<string, unknown>;
  refs: Reference[];
}

export type RowResult =
  | { kind: 'record'; parts: RecordPart[]; warnings: string[]; updatedAt: string | null }
  /** `refs`: the references the row makes as far as it normalized, so a reference that does not
   * resolve is listed with the row's other reasons (and goes away alone when it later resolves) */
  | { kind: 'rejected'; reasons: Reason[]; normalized: Record<string, unknown>; warnings: string[]; refs?: Reference[] }
  | { kind: 'skipped'; code: SkipCode };

/** Everything a record normalizer may consult besides the row: no I/O, all given. */
export interface NormalizeContext {
  cityCode: string;
  provinceCode: string;
  /** YYYY-MM-DD: dates after it are out of range */
  loadDate: string;
  date1904: boolean;
  codes: Record<string, Record<string, string>>;
  /** per-field column options from the mapping (unit, codes, date style …) */
  columns: Record<string, { codes?: string; unit?: 'yuan' | 'wan_yuan' | 'fen'; date_style?: string; edition?: 2011 | 2017; allow_negative?: boolean }>;
  uscExceptions: ReadonlySet<string>;
}

/** A row by mapped field name. */
export type Fields = Record<string, RawCell>;

export interface RecordKind {
  /** provincial entity of the primary record */
  entity: string;
  /** fields a row must bind for the kind to work at all (checked against the mapping) */
  requiredFields: readonly string[];
  /** further fields the kind reads; with requiredFields, every field a mapping may bind (a kind
   * without this list accepts any field name) */
  optionalFields?: readonly string[];
  /** groups of fields of which a mapping must bind at least one (an employer by USC, org code …) */
  requiredOneOf?: readonly (readonly string[])[];
  /** the provincial enumeration each coded field translates to (mapping check validates code
   * tables against it) */
  enumerations?: Readonly<Record<string, readonly string[]>>;
  /** money fields (they take a unit) */
  amountFields?: readonly string[];
  /** payload fields that are provenance, not content: left out of the content hash (an employer's
   * first city) */
  provenanceFields?: readonly string[];
  /** fields whose emptiness marks a subtotal row (the natural-key columns) */
  keyFields: readonly string[];
  normalize(fields: Fields, ctx: NormalizeContext): RowResult;
}

/**
 * `extra:` fields (mapping schema): the columns a record kind has no field for, read by the rules
 * of their declared type and stored with the row's primary record as its `extra` object (the
 * provincial tables' `extra` jsonb column). Generic over record kinds: a kind never sees them.
 *
 * - text: trimmed text (through the column's code table where one is declared);
 * - date: 'YYYY-MM-DD' by the date rules (date.format, date.range against the load date);
 * - money: integer fen as decimal text under `<name>_fen`, by the amount rules (amount.*, unit);
 * - code: through the column's code table (code.unmapped for a value it does not list).
 *
 * An empty extra is left out (a record whose extras are all empty has no `extra`). The extras are
 * part of the record's content (see comparableContent).
 */
import { EXTRA_PREFIX, type ExtraType } from '../../mapping/schema';
import type { Reason } from '../rules/result';
import { FieldReader, present } from './field-reader';
import type { Fields, NormalizeContext, RowResult } from './types';

interface ExtraField {
  /** the mapped field, `extra.<name>` */
  field: string;
  /** the key in the record's `extra` object */
  key: string;
  type: ExtraType;
}

/** The extra fields of a table's columns: the same object for every row of a stream. */
const extrasCache = new WeakMap<NormalizeContext['columns'], ExtraField[]>();

export function extraFieldsOf(columns: NormalizeContext['columns']): ExtraField[] {
  let hit = extrasCache.get(columns);
  if (!hit) {
    hit = Object.entries(columns)
      .filter(([field, col]) => field.startsWith(EXTRA_PREFIX) && col.type !== undefined)
      .map(([field, col]) => {
        const name = field.slice(EXTRA_PREFIX.length);
        return { field, key: col.type === 'money' ? `${name}_fen` : name, type: col.type! };
      });
    extrasCache.set(columns, hit);
  }
  return hit;
}

/** The extras of one row: their values, or the reasons they fail (each naming `extra.<name>`). */
export function readExtras(fields: Fields, ctx: NormalizeContext): { values: Record<string, string | null>; reader: FieldReader } | null {
  const extras = extraFieldsOf(ctx.columns);
  if (!extras.length) return null;
  const r = new FieldReader(fields, ctx);
  const values: Record<string, string | null> = {};
  for (const x of extras) {
    let v: string | null | undefined;
    if (x.type === 'date') v = r.date(x.field, { required: false });
    else if (x.type === 'money') v = r.amount(x.field, { required: false });
    else v = r.text(x.field);
    values[x.key] = v ?? null;
  }
  return { values, reader: r };
}

/**
 * The row's result with its extras: on the primary record (part 0) as `extra`; a failing extra
 * rejects the row with its reasons, together with whatever else the row was refused for.
 */
export function withExtras(result: RowResult, fields: Fields, ctx: NormalizeContext): RowResult {
  if (result.kind === 'skipped') return result;
  const read = readExtras(fields, ctx);
  if (!read) return result;
  const { values, reader } = read;
  const warnings = reader.c.warnings;
  if (result.kind === 'rejected') {
    return { ...result, reasons: [...result.reasons, ...reader.c.reasons], normalized: { ...result.normalized, extra: values }, warnings: [...result.warnings, ...warnings] };
  }
  if (reader.failed) return rejectRecord(result, reader.c.reasons, { extra: values });
  const stored = present(values);
  const w = warnings.length ? [...result.warnings, ...warnings] : result.warnings;
  // no `extra` while every extra is empty: the record hashes like one from a table without extras
  if (Object.keys(stored).length === 0) return w === result.warnings ? result : { ...result, warnings: w };
  const [primary, ...rest] = result.parts;
  return { ...result, parts: [{ ...primary!, payload: { ...primary!.payload, extra: stored } }, ...rest], warnings: w };
}

/**
 * A row whose record parts normalized but which a rule outside its kind refuses (an extra, the
 * update timestamp): rejected with `reasons`, its parts' payloads as what it would have become, and
 * the references outside the row (those to records of this same row cannot be missing).
 */
export function rejectRecord(result: Extract<RowResult, { kind: 'record' }>, reasons: Reason[], also: Record<string, unknown> = {}): RowResult {
  const outside = result.parts.flatMap((p) => p.refs).filter((ref) => !result.parts.some((q) => q.entity === ref.entity && q.naturalKey === ref.value));
  const normalized = Object.assign({}, ...result.parts.map((p) => p.payload), also) as Record<string, unknown>;
  return { kind: 'rejected', reasons, normalized, warnings: result.warnings, refs: outside };
}

/**
 * One landed row → a record, a rejection with every reason, or a skip. Pure: the binding, the
 * record kind and the context are given; the caller persists the result.
 */
import type { RawRow } from '../../extract/types';
import { canonicalJson, canonicalJsonWithout } from '../../mapping/load-mapping';
import { EXTRA_PREFIX, isExtraField, type TableMapping } from '../../mapping/schema';
import { classifyNonRecord } from '../rules/rows';
import type { Reason } from '../rules/result';
import { addendSlot, slotLabel, type ColumnBinding } from './bind-columns';
import { rejectRecord, withExtras } from './extras';
import { sumAmounts } from './summed-amounts';
import type { Fields, NormalizeContext, RecordKind, RowResult } from './types';
import { parseUpdateTimestamp } from './update-timestamp';

export interface TableBinding {
  kind: RecordKind;
  binding: ColumnBinding;
  /** field holding the source update timestamp, if the mapping names one */
  updatedAtField?: string;
  /** the mapping's `ignore` list: columns and fields that take no part in comparing rows */
  ignore?: readonly string[];
  /** the table is declared `skip: true`: a sheet/table that holds no records */
  skip?: boolean;
  /** money fields that are the sum of several columns (`sum:`), with the slot of each addend */
  sums?: readonly SummedField[];
  /** the mapping table, for the layouts that need more of it (the pivot) */
  table?: TableMapping;
}

export interface SummedField {
  field: string;
  addends: readonly { slot: string; label: string }[];
}

/** A table that is declared `skip: true` binds no record kind; its rows are all skipped. */
export const SKIP_TABLE_KIND: RecordKind = {
  entity: 'none',
  requiredFields: [],
  keyFields: [],
  normalize: () => ({ kind: 'skipped', code: 'skip.table' }),
};

/** The binding of a mapping table to a stream: its kind, and what its layout asks for. */
export function tableBinding(table: TableMapping, binding: ColumnBinding, kindOf: (entity: string) => RecordKind): TableBinding {
  const sums: SummedField[] = [];
  for (const [field, col] of Object.entries(table.columns)) {
    if (col.sum) sums.push({ field, addends: col.sum.map((c, i) => ({ slot: addendSlot(field, i), label: slotLabel(c) })) });
  }
  return {
    kind: table.skip || table.entity === undefined ? SKIP_TABLE_KIND : kindOf(table.entity),
    binding,
    updatedAtField: table.updated_at,
    ignore: table.ignore,
    skip: table.skip === true,
    sums: sums.length ? sums : undefined,
    table,
  };
}

/**
 * The row's summed fields added up in place of their addends. A bad addend leaves the field out
 * (so the kind does not refuse it a second time) and is a reason naming its column.
 */
export function applySums(fields: Fields, sums: readonly SummedField[], ctx: NormalizeContext): { fields: Fields; reasons: Reason[] } {
  const out: Fields = { ...fields };
  const reasons: Reason[] = [];
  for (const s of sums) {
    const col = ctx.columns[s.field];
    const sum = sumAmounts(s.field, s.addends.map((a) => ({ label: a.label, raw: fields[a.slot] ?? null })), col?.unit, col?.allow_negative === true);
    for (const a of s.addends) delete out[a.slot];
    if (sum.ok) out[s.field] = sum.value;
    else reasons.push(...sum.reasons);
  }
  return { fields: out, reasons };
}

/**
 * A kind's result with reasons found before it ran (bad addends of summed fields, pivot
 * problems): the row is rejected with all of them; the kind's own reasons about fields the
 * earlier reasons are already about are left out (the field was withheld from it).
 */
export function withReasons(result: RowResult, reasons: readonly Reason[]): RowResult {
  if (!reasons.length || result.kind === 'skipped') return result;
  const about = new Set(reasons.map((r) => r.field).filter((f) => f !== undefined));
  if (result.kind === 'rejected') return { ...result, reasons: [...reasons, ...result.reasons.filter((r) => !r.field || !about.has(r.field))] };
  return rejectRecord(result, [...reasons]);
}

/**
 * What two records are compared by (duplicates, latest-wins, cross-source merges): the payload
 * without the kind's provenance fields (an employer's first city, its legacy number) and without
 * the fields the mapping ignores (serial numbers, remarks; a money field `x` is `x_fen` in the
 * payload). Extra fields are content like any other; an ignored one (`extra.<name>`) is left out
 * of the record's `extra` object for the comparison.
 */
interface LeftOut {
  ignore: readonly string[];
  left: ReadonlySet<string>;
  /** keys of the `extra` object left out */
  leftExtra: ReadonlySet<string>;
}

/** The fields left out of the comparison, per kind and ignore list: the same for every row. */
const leftOutCache = new WeakMap<RecordKind, LeftOut[]>();

function leftOut(kind: RecordKind, ignore: readonly string[]): LeftOut {
  let list = leftOutCache.get(kind);
  if (!list) leftOutCache.set(kind, (list = []));
  // by content, not by identity: callers pass the mapping's list or a fresh default
  for (const e of list) if (e.ignore.length === ignore.length && e.ignore.every((f, i) => f === ignore[i])) return e;
  const withFen = (fields: readonly string[]) => [...fields, ...fields.map((f) => `${f}_fen`)];
  const extras = ignore.filter(isExtraField).map((f) => f.slice(EXTRA_PREFIX.length));
  const e = { ignore: [...ignore], left: new Set([...(kind.provenanceFields ?? []), ...withFen(ignore)]), leftExtra: new Set(withFen(extras)) };
  if (list.length < 64) list.push(e);
  return e;
}

export function comparableContent(payload: Record<string, unknown>, kind: RecordKind, ignore: readonly string[] = []): Record<string, unknown> {
  const { left, leftExtra } = leftOut(kind, ignore);
  if (left.size === 0) return payload;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(payload)) if (!left.has(k)) out[k] = payload[k];
  const extra = out.extra;
  if (leftExtra.size && extra && typeof extra === 'object') {
    out.extra = Object.fromEntries(Object.entries(extra).filter(([k]) => !leftExtra.has(k)));
  }
  return out;
}

/** canonicalJson of comparableContent — what a record's content hash is of —, written without
 * building the comparable object where that is the same text. */
export function comparableJson(payload: Record<string, unknown>, kind: RecordKind, ignore: readonly string[] = []): string {
  const { left, leftExtra } = leftOut(kind, ignore);
  if (left.size === 0) return canonicalJson(payload);
  return (leftExtra.size === 0 ? canonicalJsonWithout(payload, left) : undefined) ?? canonicalJson(comparableContent(payload, kind, ignore));
}

/** The fields and cell indexes of a binding's positions, in the positions' order. */
interface Picker {
  fields: string[];
  indexes: number[];
}

/** Per positions object; bindings are frozen once made (bind-columns.ts), so the cache holds. */
const pickers = new WeakMap<Record<string, number>, Picker>();

function pickerOf(positions: Record<string, number>): Picker {
  let p = pickers.get(positions);
  if (!p) {
    p = { fields: Object.keys(positions), indexes: Object.values(positions) };
    if (Object.isFrozen(positions)) pickers.set(positions, p);
  }
  return p;
}

export function pickFields(cells: RawRow['cells'], positions: Record<string, number>): Fields {
  const { fields: names, indexes } = pickerOf(positions);
  const fields: Fields = {};
  for (let j = 0; j < names.length; j++) fields[names[j]!] = cells[indexes[j]!] ?? null;
  return fields;
}

/** The natural-key columns of a kind under a (frozen) binding. */
const keyColumnCache = new WeakMap<Record<string, number>, Map<RecordKind, number[]>>();

function keyColumnIndexesOf(kind: RecordKind, positions: Record<string, number>): number[] {
  let byKind = keyColumnCache.get(positions);
  let hit = byKind?.get(kind);
  if (hit) return hit;
  hit = kind.keyFields.map((f) => positions[f]).filter((i): i is number => i !== undefined);
  if (Object.isFrozen(positions)) {
    if (!byKind) keyColumnCache.set(positions, (byKind = new Map()));
    byKind.set(kind, hit);
  }
  return hit;
}

/** `null` for the one header row the mapping binds by: it is not a row of data. */
export function normalizeRow(row: RawRow, table: TableBinding, ctx: NormalizeContext): RowResult | null {
  const { binding, kind } = table;
  if (table.skip) return { kind: 'skipped', code: 'skip.table' };
  if (binding.headerRowNo !== null && row.rowNo === binding.headerRowNo) return null;
  const keyColumnIndexes = keyColumnIndexesOf(kind, binding.positions);
  const skip = classifyNonRecord(row.cells, { headerTexts: binding.headerTexts, keyColumnIndexes });
  if (skip) return { kind: 'skipped', code: skip };
  // rows above the header are titles ("XX市工伤保险参保人员名册", "单位：元")
  if (binding.headerRowNo !== null && row.rowNo < binding.headerRowNo) return { kind: 'skipped', code: 'skip.header' };
  const picked = pickFields(row.cells, binding.positions);
  const summed = table.sums ? applySums(picked, table.sums, ctx) : undefined;
  const fields = summed?.fields ?? picked;
  const result = withExtras(summed ? withReasons(kind.normalize(fields, ctx), summed.reasons) : kind.normalize(fields, ctx), fields, ctx);
  if (!table.updatedAtField) return result;
  // latest-wins compares instants: the timestamp is parsed like any date, and refused like one
  const raw = fields[table.updatedAtField] ?? null;
  if (raw === null || (typeof raw === 'string' && raw.trim() === '')) return result;
  const ts = parseUpdateTimestamp(raw, { date1904: ctx.date1904, loadDate: ctx.loadDate });
  if (ts.ok) return result.kind === 'record' ? { ...result, updatedAt: ts.value } : result;
  const reasons = ts.reasons.map((r) => ({ ...r, field: table.updatedAtField }));
  if (result.kind === 'rejected') return { ...result, reasons: [...result.reasons, ...reasons] };
  if (result.kind === 'skipped') return result;
  return rejectRecord(result, reasons);
}

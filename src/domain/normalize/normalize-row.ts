/**
 * One landed row → a record, a rejection with every reason, or a skip. Pure: the binding, the
 * record kind and the context are given; the caller persists the result.
 */
import type { RawRow } from '../../extract/types';
import { EXTRA_PREFIX, isExtraField } from '../../mapping/schema';
import { classifyNonRecord } from '../rules/rows';
import type { ColumnBinding } from './bind-columns';
import type { Fields, NormalizeContext, RecordKind, RowResult } from './types';
import { rejectRecord, withExtras } from './extras';
import { parseUpdateTimestamp } from './update-timestamp';

export interface TableBinding {
  kind: RecordKind;
  binding: ColumnBinding;
  /** field holding the source update timestamp, if the mapping names one */
  updatedAtField?: string;
  /** the mapping's `ignore` list: columns and fields that take no part in comparing rows */
  ignore?: readonly string[];
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
  if (binding.headerRowNo !== null && row.rowNo === binding.headerRowNo) return null;
  const keyColumnIndexes = keyColumnIndexesOf(kind, binding.positions);
  const skip = classifyNonRecord(row.cells, { headerTexts: binding.headerTexts, keyColumnIndexes });
  if (skip) return { kind: 'skipped', code: skip };
  // rows above the header are titles ("XX市工伤保险参保人员名册", "单位：元")
  if (binding.headerRowNo !== null && row.rowNo < binding.headerRowNo) return { kind: 'skipped', code: 'skip.header' };
  const fields = pickFields(row.cells, binding.positions);
  const result = withExtras(kind.normalize(fields, ctx), fields, ctx);
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

/**
 * One landed row → a record, a rejection with every reason, or a skip. Pure: the binding, the
 * record kind and the context are given; the caller persists the result.
 */
import type { RawRow } from '../../extract/types';
import { classifyNonRecord } from '../rules/rows';
import type { ColumnBinding } from './bind-columns';
import type { Fields, NormalizeContext, RecordKind, RowResult } from './types';
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
 * payload).
 */
export function comparableContent(payload: Record<string, unknown>, kind: RecordKind, ignore: readonly string[] = []): Record<string, unknown> {
  const left = new Set([...(kind.provenanceFields ?? []), ...ignore, ...ignore.map((f) => `${f}_fen`)]);
  if (left.size === 0) return payload;
  return Object.fromEntries(Object.entries(payload).filter(([k]) => !left.has(k)));
}

export function pickFields(cells: RawRow['cells'], positions: Record<string, number>): Fields {
  const fields: Fields = {};
  for (const [field, i] of Object.entries(positions)) fields[field] = cells[i] ?? null;
  return fields;
}

/** `null` for the one header row the mapping binds by: it is not a row of data. */
export function normalizeRow(row: RawRow, table: TableBinding, ctx: NormalizeContext): RowResult | null {
  const { binding, kind } = table;
  if (binding.headerRowNo !== null && row.rowNo === binding.headerRowNo) return null;
  const keyColumnIndexes = kind.keyFields.map((f) => binding.positions[f]).filter((i): i is number => i !== undefined);
  const skip = classifyNonRecord(row.cells, { headerTexts: binding.headerTexts, keyColumnIndexes });
  if (skip) return { kind: 'skipped', code: skip };
  // rows above the header are titles ("XX市工伤保险参保人员名册", "单位：元")
  if (binding.headerRowNo !== null && row.rowNo < binding.headerRowNo) return { kind: 'skipped', code: 'skip.header' };
  const fields = pickFields(row.cells, binding.positions);
  const result = kind.normalize(fields, ctx);
  if (!table.updatedAtField) return result;
  // latest-wins compares instants: the timestamp is parsed like any date, and refused like one
  const raw = fields[table.updatedAtField] ?? null;
  if (raw === null || (typeof raw === 'string' && raw.trim() === '')) return result;
  const ts = parseUpdateTimestamp(raw, { date1904: ctx.date1904, loadDate: ctx.loadDate });
  if (ts.ok) return result.kind === 'record' ? { ...result, updatedAt: ts.value } : result;
  const reasons = ts.reasons.map((r) => ({ ...r, field: table.updatedAtField }));
  if (result.kind === 'rejected') return { ...result, reasons: [...result.reasons, ...reasons] };
  if (result.kind === 'skipped') return result;
  // references to records of this same row cannot be missing; the others are checked when loading
  const outside = result.parts.flatMap((p) => p.refs).filter((ref) => !result.parts.some((q) => q.entity === ref.entity && q.naturalKey === ref.value));
  return { kind: 'rejected', reasons, normalized: Object.assign({}, ...result.parts.map((p) => p.payload)) as Record<string, unknown>, warnings: result.warnings, refs: outside };
}

/**
 * One landed row → a record, a rejection with every reason, or a skip. Pure: the binding, the
 * record kind and the context are given; the caller persists the result.
 */
import type { RawRow } from '../../extract/types';
import { classifyNonRecord } from '../rules/rows';
import type { ColumnBinding } from './bind-columns';
import type { Fields, NormalizeContext, RecordKind, RowResult } from './types';

export interface TableBinding {
  kind: RecordKind;
  binding: ColumnBinding;
  /** field holding the source update timestamp, if the mapping names one */
  updatedAtField?: string;
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
  if (result.kind === 'record' && table.updatedAtField) {
    const raw = fields[table.updatedAtField];
    return { ...result, updatedAt: raw === null || raw === undefined ? null : String(raw) };
  }
  return result;
}

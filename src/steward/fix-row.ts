/**
 * A steward's fix as a landed row: the edited fields laid out as cells of a stream whose
 * `columns` bind them through the city mapping's own table (`bindSqlColumns`), so the fix is
 * normalized, checked and loaded by the very code that rejected the original row. The live
 * preview runs the same `normalizeRow` on the same layout.
 */
import { bindSqlColumns, columnSlots } from '../domain/normalize/bind-columns';
import { normalizeRow, tableBinding } from '../domain/normalize/normalize-row';
import type { Fields, NormalizeContext, RowResult } from '../domain/normalize/types';
import { recordKind } from '../domain/records';
import type { RawCell } from '../extract/types';
import type { ColumnRef, Mapping, TableMapping } from '../mapping/schema';
import { matchTable } from '../pipeline-context';

export interface FixLayout {
  /** the stream's column names: what `bindSqlColumns` binds the table's fields by */
  columns: string[];
  /** field → 0-based cell index */
  index: Record<string, number>;
}

/** The label a slot's column is found by: its SQL column name, header or first alias. */
const columnLabel = (col: ColumnRef): string | undefined => col.column ?? col.header ?? col.aliases[0];

/**
 * Cells for every slot of `table` (a field's column, each addend of a summed field): position-bound
 * slots at their position (bindSqlColumns gives positions precedence), the others after them under
 * the label they bind by. Throws when the table cannot bind its own labels back (two fields
 * sharing one header text).
 */
export function fixRowLayout(table: TableMapping): FixLayout {
  const index: Record<string, number> = {};
  const taken = new Set<number>();
  const slots = columnSlots(table);
  for (const { key, col } of slots) {
    if (col.position !== undefined) {
      index[key] = col.position - 1;
      taken.add(col.position - 1);
    }
  }
  let next = 0;
  for (const { key, col } of slots) {
    if (col.position !== undefined) continue;
    while (taken.has(next)) next++;
    index[key] = next;
    taken.add(next);
  }
  const width = taken.size ? Math.max(...taken) + 1 : 0;
  const columns = Array.from({ length: width }, () => '');
  for (const { key, col } of slots) columns[index[key]!] = col.position !== undefined ? `#${key}` : (columnLabel(col) ?? `#${key}`);

  const bound = bindSqlColumns(table, columns).positions;
  const wrong = Object.keys(index).filter((f) => bound[f] !== index[f]);
  if (wrong.length) throw new Error(`the mapping table for ${table.entity ?? 'a skip table'} does not bind its own column labels back (fields ${wrong.join(', ')}): two fields share a header?`);
  return { columns, index };
}

/** The cells of one fix row; fields the table does not bind are left out. */
export function fixRowCells(layout: FixLayout, fields: Readonly<Record<string, RawCell | undefined>>): RawCell[] {
  const cells: RawCell[] = layout.columns.map(() => null);
  for (const [field, i] of Object.entries(layout.index)) cells[i] = fields[field] ?? null;
  return cells;
}

/** The name of the steward stream for a table: the table's own stream, so `matchTable` finds it again. */
export const fixStreamName = (table: TableMapping): string => table.stream;

/** The table of a mapping source that a landed stream was bound by (or null when it is gone). */
export function tableFor(mapping: Mapping, sourceId: string, streamName: string): TableMapping | null {
  const source = mapping.sources.find((s) => s.id === sourceId);
  return source ? (matchTable(source.tables, streamName) ?? null) : null;
}

/** The normalization context of a table, as the pipeline builds it for a stream. */
export function fixContext(mapping: Mapping, table: TableMapping, opts: { cityCode: string; provinceCode: string; loadDate: string; date1904: boolean; uscExceptions?: ReadonlySet<string> }): NormalizeContext {
  const columns: NormalizeContext['columns'] = {};
  for (const [field, col] of Object.entries(table.columns)) columns[field] = col;
  return {
    cityCode: opts.cityCode,
    provinceCode: opts.provinceCode,
    loadDate: opts.loadDate,
    date1904: opts.date1904,
    codes: mapping.codes,
    columns,
    uscExceptions: opts.uscExceptions ?? new Set(),
  };
}

/**
 * Live validation: what the pipeline's normalization would make of the fix — the record parts,
 * or every reason, or a skip. References and conflicts are decided only when loading.
 */
export function previewFix(table: TableMapping, ctx: NormalizeContext, fields: Fields): RowResult {
  const layout = fixRowLayout(table);
  const binding = bindSqlColumns(table, layout.columns);
  const result = normalizeRow({ stream: fixStreamName(table), rowNo: 1, cells: fixRowCells(layout, fields) }, tableBinding(table, binding, recordKind), ctx);
  // a SQL-bound stream has no header row, so the result is never null
  return result ?? { kind: 'skipped', code: 'skip.header' };
}

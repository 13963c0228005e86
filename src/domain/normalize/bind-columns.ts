/**
 * Binding mapped fields to column positions: by header text (with aliases) in a header row found
 * among the first rows, by 1-based position, or by SQL column name.
 */
import type { RawRow } from '../../extract/types';
import type { TableMapping } from '../../mapping/schema';
import { cellText, toHalfWidth } from '../rules/text';

export interface ColumnBinding {
  /** the physical row the header was found on; null for SQL streams and position-only tables */
  headerRowNo: number | null;
  /** field → 0-based cell index; frozen, so what is derived from it per stream can be cached */
  positions: Readonly<Record<string, number>>;
  /** normalized texts of the header row, to recognise repeated headers */
  headerTexts: string[];
  /** mapped fields that matched no column */
  unbound: string[];
}

/** Header texts compare without white space and width differences: `参保 日期` = `参保日期`. */
export const headerKey = (text: string): string => toHalfWidth(text).replace(/[\s\u3000]+/g, '').toLowerCase();

function candidateTexts(col: TableMapping['columns'][string]): string[] {
  return [col.header, ...col.aliases, col.column].filter((t): t is string => !!t).map(headerKey);
}

function matchRow(cells: RawRow['cells'], table: TableMapping): Record<string, number> {
  const index = new Map<string, number>();
  cells.forEach((cell, i) => {
    const text = cellText(cell);
    if (text !== null && !index.has(headerKey(text))) index.set(headerKey(text), i);
  });
  const positions: Record<string, number> = {};
  for (const [field, col] of Object.entries(table.columns)) {
    const hit = candidateTexts(col).map((t) => index.get(t)).find((i) => i !== undefined);
    if (hit !== undefined) positions[field] = hit;
  }
  return positions;
}

/** Binds by SQL column names (dumps and live tables carry them). */
export function bindSqlColumns(table: TableMapping, columns: readonly string[]): ColumnBinding {
  const positions = matchRow(columns.slice(), table);
  for (const [field, col] of Object.entries(table.columns)) if (col.position !== undefined) positions[field] = col.position - 1;
  return { headerRowNo: null, positions: Object.freeze(positions), headerTexts: columns.map(headerKey), unbound: Object.keys(table.columns).filter((f) => !(f in positions)) };
}

/** Finds the header row among `sample` (the first rows of a stream): the row binding the most
 * header-bound fields, earliest on ties — below merged title rows and "单位：元" lines. */
export function bindHeaderColumns(table: TableMapping, sample: readonly RawRow[]): ColumnBinding {
  const byPosition: Record<string, number> = {};
  for (const [field, col] of Object.entries(table.columns)) if (col.position !== undefined) byPosition[field] = col.position - 1;
  const headerBound = Object.entries(table.columns).filter(([, c]) => c.position === undefined).length;

  let best: { row: RawRow; positions: Record<string, number> } | undefined;
  const explicit = table.header_row;
  for (const row of sample) {
    if (explicit !== undefined && row.rowNo !== explicit) continue;
    const positions = matchRow(row.cells, table);
    if (!best || Object.keys(positions).length > Object.keys(best.positions).length) best = { row, positions };
  }
  if (headerBound === 0 || !best || Object.keys(best.positions).length === 0) {
    return { headerRowNo: null, positions: Object.freeze(byPosition), headerTexts: [], unbound: Object.keys(table.columns).filter((f) => !(f in byPosition)) };
  }
  const positions = Object.freeze({ ...best.positions, ...byPosition });
  return {
    headerRowNo: best.row.rowNo,
    positions,
    headerTexts: best.row.cells.map((c) => headerKey(cellText(c) ?? '')),
    unbound: Object.keys(table.columns).filter((f) => !(f in positions)),
  };
}

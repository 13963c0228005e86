/**
 * Binding mapped fields to column positions: by header text (with aliases) in a header row found
 * among the first rows, by 1-based position, or by SQL column name.
 */
import type { RawRow } from '../../extract/types';
import type { ColumnRef, TableMapping } from '../../mapping/schema';
import { cellText, toHalfWidth } from '../rules/text';

export interface ColumnBinding {
  /** the physical row the header was found on; null for SQL streams and position-only tables */
  headerRowNo: number | null;
  /** field → 0-based cell index; frozen, so what is derived from it per stream can be cached */
  positions: Readonly<Record<string, number>>;
  /** normalized texts of the header row, to recognise repeated headers */
  headerTexts: string[];
  /** slots (mapped fields, addends of summed fields, pivot columns) that matched no column */
  unbound: string[];
}

/** Header texts compare without white space and width differences: `参保 日期` = `参保日期`. */
export const headerKey = (text: string): string => toHalfWidth(text).replace(/[\s\u3000]+/g, '').toLowerCase();

/**
 * One source column a table binds: a field's own column, one addend of a summed field
 * (`other_income+1`, `other_income+2`: `sum:`), or the item-code and amount columns of a pivot
 * (`#pivot.key`, `#pivot.value`). Positions and picked fields are keyed by these slot keys.
 */
export interface ColumnSlot {
  key: string;
  /** the mapped field the slot feeds (the pivot's slots feed none) */
  field: string | null;
  col: ColumnRef;
}

export const PIVOT_KEY_SLOT = '#pivot.key';
export const PIVOT_VALUE_SLOT = '#pivot.value';
export const addendSlot = (field: string, i: number): string => `${field}+${i + 1}`;

const slotCache = new WeakMap<TableMapping, ColumnSlot[]>();

export function columnSlots(table: TableMapping): ColumnSlot[] {
  let slots = slotCache.get(table);
  if (slots) return slots;
  slots = [];
  for (const [field, col] of Object.entries(table.columns)) {
    if (col.sum) col.sum.forEach((addend, i) => slots!.push({ key: addendSlot(field, i), field, col: addend }));
    else slots.push({ key: field, field, col });
  }
  if (table.pivot) slots.push({ key: PIVOT_KEY_SLOT, field: null, col: table.pivot.key }, { key: PIVOT_VALUE_SLOT, field: null, col: table.pivot.value });
  slotCache.set(table, slots);
  return slots;
}

/** What a slot binds by, for messages: its header, SQL column or position. */
export const slotLabel = (col: ColumnRef): string => col.header ?? col.column ?? `position ${col.position}`;

function candidateTexts(col: ColumnRef): string[] {
  return [col.header, ...col.aliases, col.column].filter((t): t is string => !!t).map(headerKey);
}

function matchRow(cells: RawRow['cells'], table: TableMapping): Record<string, number> {
  const index = new Map<string, number>();
  cells.forEach((cell, i) => {
    const text = cellText(cell);
    if (text !== null && !index.has(headerKey(text))) index.set(headerKey(text), i);
  });
  const positions: Record<string, number> = {};
  for (const { key, col } of columnSlots(table)) {
    const hit = candidateTexts(col).map((t) => index.get(t)).find((i) => i !== undefined);
    if (hit !== undefined) positions[key] = hit;
  }
  return positions;
}

/** Binds by SQL column names (dumps and live tables carry them). */
export function bindSqlColumns(table: TableMapping, columns: readonly string[]): ColumnBinding {
  const positions = matchRow(columns.slice(), table);
  for (const { key, col } of columnSlots(table)) if (col.position !== undefined) positions[key] = col.position - 1;
  return { headerRowNo: null, positions: Object.freeze(positions), headerTexts: columns.map(headerKey), unbound: unboundSlots(table, positions) };
}

/** Finds the header row among `sample` (the first rows of a stream): the row binding the most
 * header-bound fields, earliest on ties — below merged title rows and "单位：元" lines. */
export function bindHeaderColumns(table: TableMapping, sample: readonly RawRow[]): ColumnBinding {
  const byPosition: Record<string, number> = {};
  for (const { key, col } of columnSlots(table)) if (col.position !== undefined) byPosition[key] = col.position - 1;
  const headerBound = columnSlots(table).filter((s) => s.col.position === undefined).length;

  let best: { row: RawRow; positions: Record<string, number> } | undefined;
  const explicit = table.header_row;
  for (const row of sample) {
    if (explicit !== undefined && row.rowNo !== explicit) continue;
    const positions = matchRow(row.cells, table);
    if (!best || Object.keys(positions).length > Object.keys(best.positions).length) best = { row, positions };
  }
  if (headerBound === 0 || !best || Object.keys(best.positions).length === 0) {
    return { headerRowNo: null, positions: Object.freeze(byPosition), headerTexts: [], unbound: unboundSlots(table, byPosition) };
  }
  const positions = Object.freeze({ ...best.positions, ...byPosition });
  return {
    headerRowNo: best.row.rowNo,
    positions,
    headerTexts: best.row.cells.map((c) => headerKey(cellText(c) ?? '')),
    unbound: unboundSlots(table, positions),
  };
}

const unboundSlots = (table: TableMapping, positions: Record<string, number>): string[] => columnSlots(table).flatMap((s) => (s.key in positions ? [] : [s.key]));

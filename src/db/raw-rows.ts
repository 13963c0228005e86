/** Reading landed rows back: the one place that knows how cells are stored — JSON array text, a
 * plain line with its delimiter (migration 20261129070200), or a plain SQL tuple's text
 * (delimiter '(sql)', migration 20261129070300). */
import type { Knex } from 'knex';
import { LineRow } from '../extract/line-row';
import { cellsOfPlainTuple, SQL_TUPLE, TupleRow } from '../extract/tuple-row';
import { copyText } from './copy-rows';
import type { RawCell, RawRow } from '../extract/types';

/** A landed row as stored: plain strings, which a normalization thread receives as they are. */
export interface StoredRow {
  row_no: number;
  cells: string;
  delimiter: string | null;
}

const toRawRow = (stream: string) => (r: StoredRow): RawRow => ({
  stream,
  rowNo: r.row_no,
  cells: r.delimiter === null ? (JSON.parse(r.cells) as RawCell[]) : r.delimiter === SQL_TUPLE ? cellsOfPlainTuple(r.cells) : r.cells.split(r.delimiter),
});

const SQL_TUPLE_COPY = copyText(SQL_TUPLE);
/** a source has one delimiter: escape it once, not per row */
const delimiterCopies = new Map<string, string>();
const delimiterCopy = (delimiter: string): string => {
  let copy = delimiterCopies.get(delimiter);
  if (copy === undefined) delimiterCopies.set(delimiter, (copy = copyText(delimiter)));
  return copy;
};

/**
 * How landing stores a row: its `cells` and `delimiter` columns in COPY text format. A LineRow's
 * line as written (it holds no backslash or control character; only a tab delimiter needs
 * escaping), a TupleRow's text, anything else JSON — whose escapes leave only backslashes to double.
 */
export function storedCells(row: RawRow): [cells: string, delimiter: string] {
  if (row instanceof LineRow) return [row.line.includes('\t') ? row.line.replaceAll('\t', '\\t') : row.line, delimiterCopy(row.delimiter)];
  if (row instanceof TupleRow) return [row.tuple, SQL_TUPLE_COPY];
  const json = JSON.stringify(row.cells);
  return [json.includes('\\') ? json.replaceAll('\\', '\\\\') : json, '\\N'];
}

/** StoredRow rows as rows of cells (of the stream named `stream`). */
export const rawRowsOf = (stream: string, stored: readonly StoredRow[]): RawRow[] => stored.map(toRawRow(stream));

/** Rows `firstRow`..`lastRow` of a stream as stored, in row order. */
export async function readStoredRowRange(db: Knex | Knex.Transaction, streamId: string, firstRow: number, lastRow: number, limit?: number): Promise<StoredRow[]> {
  const q = db('landing.raw_row').where('stream_id', streamId).whereBetween('row_no', [firstRow, lastRow]).orderBy('row_no').select('row_no', 'cells', 'delimiter');
  if (limit !== undefined) void q.limit(limit);
  return (await q) as StoredRow[];
}

/** Rows `firstRow`..`lastRow` of a stream, in row order. */
export async function readRawRowRange(db: Knex | Knex.Transaction, streamId: string, stream: string, firstRow: number, lastRow: number, limit?: number): Promise<RawRow[]> {
  return rawRowsOf(stream, await readStoredRowRange(db, streamId, firstRow, lastRow, limit));
}

/** Particular rows of a stream, in row order. */
export async function readRawRows(db: Knex | Knex.Transaction, streamId: string, stream: string, rowNos: readonly number[]): Promise<RawRow[]> {
  const rows = (await db('landing.raw_row').where('stream_id', streamId).whereIn('row_no', rowNos as number[]).orderBy('row_no').select('row_no', 'cells', 'delimiter')) as StoredRow[];
  return rows.map(toRawRow(stream));
}

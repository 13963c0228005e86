/**
 * Live legacy databases (MySQL/MariaDB, PostgreSQL) through knex: a table or a SELECT read in
 * keyset pages ordered by (cursor column, key columns) — never OFFSET, which rereads and skips
 * rows when the table moves — so an incremental pull resumes exactly after the last row seen.
 *
 * Cells are the driver's values in column order: Date → local 'YYYY-MM-DD HH:mm:ss.SSS' text,
 * Buffer → 0x hex, bigint → text, JSON objects → JSON text. Drivers that parse DECIMAL/BIGINT into
 * doubles lose digits before we see them: give mysql2 `supportBigNumbers` + `bigNumberStrings`
 * (and `dateStrings`) so such values arrive as text.
 */
import { type Knex } from 'knex';
import { LimitGuard } from './limits';
import { ExtractError, type ExtractLimits, type RawCell, type RawRow, type RowLocator } from './types';

/** Where a pull stopped: the (cursor, keys) values of the last row, in `columns` order. */
export interface LivePosition {
  readonly columns: string[];
  readonly values: unknown[];
}

export interface LiveTableOptions {
  knex: Knex;
  /** a table (optionally schema-qualified) … */
  table?: string;
  /** … or a SELECT, read as a derived table */
  query?: string;
  /** stream name; defaults to the table, or 'query' */
  stream?: string;
  keyColumns: string[];
  /** e.g. an update timestamp: incremental pulls read rows past `since` in this column */
  cursorColumn?: string;
  /** a LivePosition from the previous pull (exact), or a bare cursor value (rows with cursor > it) */
  since?: LivePosition | string | number | Date;
  pageSize?: number;
  limits?: Partial<ExtractLimits>;
  /** ordinal locator within this pull (see ExtractOptions) */
  resumeAfter?: RowLocator;
}

function isPosition(value: unknown): value is LivePosition {
  return typeof value === 'object' && value !== null && Array.isArray((value as LivePosition).values);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Local wall-clock text: drivers build Dates from zone-less DATE/DATETIME values in local time. */
export function localDateTimeText(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function liveCell(value: unknown): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return localDateTimeText(value);
  if (Buffer.isBuffer(value)) return `0x${value.toString('hex').toUpperCase()}`;
  return JSON.stringify(value);
}

/** WHERE (c0, c1, …) > (v0, v1, …), spelled out so both MySQL and PostgreSQL use the index. */
function whereAfter(builder: Knex.QueryBuilder, columns: string[], values: unknown[]): void {
  void builder.where((outer) => {
    columns.forEach((column, k) => {
      void outer.orWhere((inner) => {
        for (let j = 0; j < k; j++) void inner.where(columns[j]!, values[j] as Knex.Value);
        void inner.where(column, '>', values[k] as Knex.Value);
      });
    });
  });
}

/**
 * Yields every row past `since` in (cursor, keys) order and returns the position of the last row
 * (or `since` as a position when there was nothing new) — the watermark for the next pull.
 */
export async function* extractLiveTable(options: LiveTableOptions): AsyncGenerator<RawRow, LivePosition | undefined> {
  const { knex, table, query, keyColumns } = options;
  if (!table === !query) throw new Error('extractLiveTable needs exactly one of table or query');
  if (keyColumns.length === 0) throw new Error('extractLiveTable needs key columns for keyset pagination');
  const stream = options.stream ?? table ?? 'query';
  const file = `live:${stream}`;
  const guard = new LimitGuard(file, options.limits);
  const order = options.cursorColumn ? [options.cursorColumn, ...keyColumns.filter((k) => k !== options.cursorColumn)] : keyColumns;
  const pageSize = options.pageSize ?? 5_000;

  let position: LivePosition | undefined;
  let bareSince: unknown;
  if (isPosition(options.since)) position = options.since;
  else if (options.since !== undefined) {
    if (!options.cursorColumn) throw new Error('since without a cursorColumn');
    bareSince = options.since;
  }
  const from = (): Knex.QueryBuilder => (table ? knex(table) : knex.from(knex.raw(`(${query}) as live_query`)));

  let rowNo = 0;
  let columns: string[] | undefined;
  const resume = options.resumeAfter;
  for (;;) {
    const page = from().select('*').orderBy(order.map((column) => ({ column, order: 'asc' as const }))).limit(pageSize);
    if (position) whereAfter(page, position.columns, position.values);
    else if (bareSince !== undefined) void page.where(options.cursorColumn!, '>', bareSince as Knex.Value);
    guard.checkTime(stream, rowNo);
    let records: Record<string, unknown>[];
    try {
      records = (await page) as Record<string, unknown>[];
    } catch (err) {
      throw new ExtractError(`query failed: ${(err as Error).message}`, file, stream, rowNo + 1, undefined, 'extract.live_query');
    }
    for (const record of records) {
      columns ??= Object.keys(record);
      rowNo += 1;
      const row: RawRow = { stream, rowNo, cells: columns.map((c) => liveCell(record[c])) };
      guard.checkRow(row);
      if (!resume || resume.stream !== stream || rowNo > resume.rowNo) yield row;
    }
    const last = records[records.length - 1];
    if (last) position = { columns: order, values: order.map((c) => last[c]) };
    if (records.length < pageSize) break;
  }
  return position ?? (bareSince !== undefined ? { columns: [options.cursorColumn!], values: [bareSince] } : undefined);
}

/**
 * The extractor contract: one source becomes streams (a sheet, a table, a CSV file) of raw rows,
 * each with the exact place it came from. Nothing here normalizes: cells are the values as found,
 * after character decoding only.
 */

/** A raw cell: text as found, a number where the source stores one (spreadsheet numeric cells,
 * unquoted SQL numbers), a boolean, or null for an empty cell / SQL NULL. Dates from live
 * databases and spreadsheet date cells stay text (ISO) or Excel serial numbers respectively. */
export type RawCell = string | number | boolean | null;

/** Where a row came from: `stream` is the sheet or table name ('' for a plain CSV file), `rowNo`
 * the 1-based physical row (spreadsheets, CSV records) or tuple ordinal (SQL dumps, live tables). */
export interface RowLocator {
  readonly stream: string;
  readonly rowNo: number;
}

export interface RawRow extends RowLocator {
  readonly cells: RawCell[];
  /**
   * A record read from one line with nothing COPY or JSON would escape — a CSV line without quotes,
   * a pg_dump COPY line without backslashes (LineRow): `cells` is exactly the line split on the
   * row's delimiter, so landing stores the line as written — cheaper to write and to read back
   * than JSON (landing.raw_row.delimiter).
   */
  readonly line?: string;
  /** A plain SQL tuple's decoded text (TupleRow): `cells` is cellsOfPlainTuple(tuple); landing
   * stores the text as it is (landing.raw_row.delimiter '(sql)'). */
  readonly tuple?: string;
}

/** What an extractor knows about one stream before (or while) reading it. */
export interface StreamInfo {
  readonly name: string;
  /** column names where the format carries them (SQL CREATE TABLE / column lists, live tables) */
  readonly columns?: string[];
}

/** Limits every extractor enforces on untrusted input; exceeding one is a non-retryable
 * `ExtractLimitError` naming the limit and the locator. */
export interface ExtractLimits {
  /** bytes read from the file, plus bytes inflated from its zip entries */
  maxBytes: number;
  maxRows: number;
  maxCellsPerRow: number;
  maxCellChars: number;
  /** characters of one record (a CSV line, a COPY line, an SQL statement or tuple) before it is
   * split: a line that never ends fails here, early, instead of being held whole in memory */
  maxRecordChars: number;
  maxSeconds: number;
  /** bytes one zip entry (a sheet, the shared strings) may inflate to */
  maxEntryBytes: number;
  /** inflated ÷ compressed bytes of one zip entry, checked once it has inflated 1 MB (a zip bomb) */
  maxZipRatio: number;
}

export const DEFAULT_LIMITS: ExtractLimits = {
  maxBytes: 4 * 1024 ** 3,
  maxRows: 50_000_000,
  maxCellsPerRow: 1_000,
  maxCellChars: 32_767, // Excel's own cell limit
  // a legitimate record of a city export is a few KB; 8 M characters is far above any of them
  maxRecordChars: 8 * 1024 * 1024,
  maxSeconds: 6 * 3600,
  maxEntryBytes: 2 * 1024 ** 3,
  // sheet XML deflates 10–30×, a sheet of one repeated value about 200×; bombs reach 1000× and more
  maxZipRatio: 500,
};

/** Excel's own sheet size (Excel 2007 and later): a row number above it is no spreadsheet's. */
export const EXCEL_MAX_ROWS = 1_048_576;

/** Bad input: always carries where it happened. Activities turn it into a non-retryable failure. */
export class ExtractError extends Error {
  constructor(
    /** what went wrong, without the locator the full message starts with */
    readonly detail: string,
    readonly file: string,
    readonly stream?: string,
    readonly rowNo?: number,
    readonly field?: string,
    readonly code: string = 'extract.invalid',
    /** byte offset in the file, where the failure is below the row level (encoding, zip, XML) */
    readonly byteOffset?: number,
  ) {
    const where = [
      file,
      stream && `sheet/table ${stream}`,
      rowNo !== undefined && `row ${rowNo}`,
      field && `field ${field}`,
      byteOffset !== undefined && `byte ${byteOffset}`,
    ]
      .filter(Boolean)
      .join(', ');
    super(`${where}: ${detail}`);
    this.name = 'ExtractError';
  }
}

/** What each limit counts, for messages that say it in words ("exceeds 1,048,576 rows"). */
const LIMIT_UNITS: Record<keyof ExtractLimits, string> = {
  maxBytes: 'bytes',
  maxRows: 'rows',
  maxCellsPerRow: 'cells in one row',
  maxCellChars: 'characters in one cell',
  maxRecordChars: 'characters in one record',
  maxSeconds: 'seconds of reading',
  maxEntryBytes: 'inflated bytes in one zip entry',
  maxZipRatio: 'times its compressed size (zip entry inflation ratio)',
};

export class ExtractLimitError extends ExtractError {
  constructor(
    readonly limit: keyof ExtractLimits,
    readonly value: number,
    file: string,
    stream?: string,
    rowNo?: number,
    byteOffset?: number,
    /** what exceeded it, when more than the locator says ("sheet 参保人员", "zip entry xl/…") */
    subject?: string,
  ) {
    const perRow = limit === 'maxCellsPerRow' || limit === 'maxCellChars' || limit === 'maxRecordChars';
    const what = subject ?? (perRow && rowNo !== undefined ? 'this row' : stream ? `sheet/table ${stream}` : 'the file');
    super(`${what} exceeds ${value.toLocaleString('en-US')} ${LIMIT_UNITS[limit]} (limit ${limit})`, file, stream, rowNo, undefined, `extract.limit.${limit}`, byteOffset);
    this.name = 'ExtractLimitError';
  }
}

/** Options every extractor accepts. `resumeAfter` lets a retried landing skip what is committed:
 * rows of `stream` with rowNo ≤ `rowNo`, and all streams before it, are not yielded again. */
export interface ExtractOptions {
  file: string;
  limits?: Partial<ExtractLimits>;
  /** declared encoding (CSV, dumps); otherwise detected */
  encoding?: string;
  resumeAfter?: RowLocator;
}

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
  maxBytes: number;
  maxRows: number;
  maxCellsPerRow: number;
  maxCellChars: number;
  maxSeconds: number;
}

export const DEFAULT_LIMITS: ExtractLimits = {
  maxBytes: 4 * 1024 ** 3,
  maxRows: 50_000_000,
  maxCellsPerRow: 1_000,
  maxCellChars: 32_767, // Excel's own cell limit
  maxSeconds: 6 * 3600,
};

/** Bad input: always carries where it happened. Activities turn it into a non-retryable failure. */
export class ExtractError extends Error {
  constructor(
    message: string,
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
    super(`${where}: ${message}`);
    this.name = 'ExtractError';
  }
}

export class ExtractLimitError extends ExtractError {
  constructor(
    readonly limit: keyof ExtractLimits,
    value: number,
    file: string,
    stream?: string,
    rowNo?: number,
    byteOffset?: number,
  ) {
    super(`limit ${limit}=${value} exceeded`, file, stream, rowNo, undefined, `extract.limit.${limit}`, byteOffset);
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

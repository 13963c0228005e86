/**
 * Limits on untrusted input, enforced the same way by every extractor: one guard per source counts
 * bytes, rows, cells per row and cell length, and looks at the clock between chunks and every few
 * hundred rows — so a hostile or broken file fails with its locator instead of hanging the worker.
 */
import { LineRow } from './line-row';
import { TupleRow } from './tuple-row';
import { DEFAULT_LIMITS, ExtractLimitError, type ExtractLimits, type RawRow } from './types';

export function resolveLimits(overrides?: Partial<ExtractLimits>): ExtractLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ExtractLimits)[]) {
    const value = overrides?.[key];
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}

/** How often (in rows) the wall clock is read; reading it per row costs more than the row. */
const CLOCK_EVERY_ROWS = 256;

export class LimitGuard {
  readonly limits: ExtractLimits;
  private readonly deadline: number;
  private bytes = 0;
  private rows = 0;

  constructor(
    readonly file: string,
    limits?: Partial<ExtractLimits>,
    private readonly now: () => number = Date.now,
  ) {
    this.limits = resolveLimits(limits);
    this.deadline = now() + this.limits.maxSeconds * 1000;
  }

  /** Called once per chunk read from the file (or from a zip entry, counting inflated bytes). */
  addBytes(count: number, stream?: string): void {
    this.bytes += count;
    if (this.bytes > this.limits.maxBytes) {
      throw new ExtractLimitError('maxBytes', this.limits.maxBytes, this.file, stream, undefined, this.bytes);
    }
    this.checkTime(stream);
  }

  /** Time left before maxSeconds (negative once over). */
  remainingMs(): number {
    return this.deadline - this.now();
  }

  checkTime(stream?: string, rowNo?: number): void {
    if (this.now() > this.deadline) {
      throw new ExtractLimitError('maxSeconds', this.limits.maxSeconds, this.file, stream, rowNo);
    }
  }

  /** Checked before a row is handed on, so nothing over a limit ever reaches the landing table. */
  checkRow(row: RawRow): void {
    this.rows += 1;
    const { limits } = this;
    if (this.rows > limits.maxRows) {
      throw new ExtractLimitError('maxRows', limits.maxRows, this.file, row.stream, row.rowNo);
    }
    if (row instanceof TupleRow) {
      // on the text: a tuple cannot hold more cells than characters, nor a longer string
      if (row.tuple.length >= limits.maxCellsPerRow) this.checkCellCount(row.cells.length, row.stream, row.rowNo);
      if (row.tuple.length > limits.maxCellChars) for (const cell of row.cells) if (typeof cell === 'string') this.checkCellChars(cell.length, row.stream, row.rowNo);
      if (this.rows % CLOCK_EVERY_ROWS === 1) this.checkTime(row.stream, row.rowNo);
      return;
    }
    if (row instanceof LineRow) {
      // on the line itself: it cannot hold more cells than characters + 1, nor a longer cell
      if (row.line.length >= limits.maxCellsPerRow) this.checkCellCount(row.cellCount(), row.stream, row.rowNo);
      if (row.line.length > limits.maxCellChars) for (const cell of row.cells) this.checkCellChars(cell.length, row.stream, row.rowNo);
      if (this.rows % CLOCK_EVERY_ROWS === 1) this.checkTime(row.stream, row.rowNo);
      return;
    }
    this.checkCellCount(row.cells.length, row.stream, row.rowNo);
    for (const cell of row.cells) {
      if (typeof cell === 'string') this.checkCellChars(cell.length, row.stream, row.rowNo);
    }
    if (this.rows % CLOCK_EVERY_ROWS === 1) this.checkTime(row.stream, row.rowNo);
  }

  /** For parsers that can tell before building the row (a runaway tuple or line). */
  checkCellCount(count: number, stream: string, rowNo: number): void {
    if (count > this.limits.maxCellsPerRow) {
      throw new ExtractLimitError('maxCellsPerRow', this.limits.maxCellsPerRow, this.file, stream, rowNo);
    }
  }

  checkCellChars(length: number, stream: string, rowNo: number): void {
    if (length > this.limits.maxCellChars) {
      throw new ExtractLimitError('maxCellChars', this.limits.maxCellChars, this.file, stream, rowNo);
    }
  }

  /** The most text one row can legitimately hold; parsers buffering a row stop past this. */
  get maxRowChars(): number {
    return Math.min(this.limits.maxRecordChars, this.limits.maxCellsPerRow * (this.limits.maxCellChars + 16) + 1024);
  }

  /** A record (line, statement, tuple) too long to be one: called by parsers as soon as they see it. */
  recordTooLong(stream: string | undefined, rowNo: number | undefined, byteOffset?: number): ExtractLimitError {
    return new ExtractLimitError('maxRecordChars', this.maxRowChars, this.file, stream, rowNo, byteOffset, rowNo === undefined ? 'a statement or row' : undefined);
  }
}

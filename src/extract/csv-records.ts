/**
 * CSV records at landing speed, with csv-parse's exact semantics.
 *
 * csv-parse looks at every character through a general state machine (~160k records/s here),
 * which alone held landing to a quarter of raw COPY. Nearly every line of a legacy export is either
 * plain (no quote character at all: the record is `line.split(delimiter)`) or strictly quoted
 * (every quoted field closes right before a delimiter or the line end, inner quotes doubled):
 * both are split here with indexOf at a few times csv-parse's speed. Everything else — a quoted
 * field spanning lines, a stray quote, an escape character other than the quote, a malformed
 * field — is a "region" handed to csv-parse itself, starting at a record boundary and growing line
 * by line until csv-parse finds it complete, so those records are exactly csv-parse's and so are
 * its errors. The record delimiter is the one csv-parse itself discovers on the first chunk.
 * test/unit/extract/csv-records.test.ts compares the two on generated files, character for
 * character.
 */
import { parse as parseStreaming, type CsvError, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { LineRow } from './line-row';
import type { RawRow } from './types';

export interface CsvDialect {
  delimiter: string;
  /** the escape character inside quoted fields ('"' doubles quotes) */
  escape: string;
  /** csv-parse's max_record_size: the longest record (in characters) before an error */
  maxRecordChars: number;
}

/** csv-parse options both paths share: the semantics the fast path reproduces. */
export function csvParseOptions(dialect: CsvDialect): Options {
  return {
    delimiter: dialect.delimiter,
    escape: dialect.escape,
    relax_column_count: true,
    // a stray quote inside an unquoted field (5" 软盘) is data in legacy exports, not an error
    relax_quotes: true,
    skip_empty_lines: false,
    // an unterminated quote must not swallow the rest of a huge file into memory
    max_record_size: dialect.maxRecordChars,
  };
}

/** A record longer than `maxRecordChars`, seen as soon as the text held for it is that long:
 * `recordIndex` is 0-based, `line` the 1-based physical line where it starts. */
export class CsvRecordTooLong extends Error {
  constructor(
    readonly recordIndex: number,
    readonly line: number,
  ) {
    super(`record ${recordIndex + 1} (line ${line}) is too long`);
  }
}

/** A csv-parse error in a record, with the index (0-based, within what was pushed) of that record. */
export class CsvRecordError extends Error {
  constructor(
    readonly csvError: CsvError,
    readonly recordIndex: number,
    /** 1-based physical line where the failing record starts */
    readonly line: number,
  ) {
    super(csvError.message);
  }
}

/**
 * The record delimiter csv-parse would discover at the start of `head` ('\r\n', '\n', '\r'), or
 * undefined when `head` holds none outside quotes.
 */
export function discoverRecordDelimiter(head: string, dialect: CsvDialect): string | undefined {
  const parser = parseStreaming(csvParseOptions(dialect));
  parser.on('error', () => undefined);
  try {
    parser.write(head);
    const found = (parser as unknown as { options: { record_delimiter: Buffer[] } }).options.record_delimiter[0];
    return found?.toString('utf8');
  } finally {
    parser.destroy();
  }
}

const QUOTE = 34; // "

/**
 * Splits one line (without its record delimiter) whose fields are each plain or strictly quoted;
 * null for anything else, which then goes to csv-parse. `"a""b"` → a"b; `""` → empty.
 */
export function splitStrictLine(line: string, delimiter: string): string[] | null {
  const cells: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === QUOTE) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = line.indexOf('"', from);
        if (q < 0) return null; // the field goes on past the line end
        if (line.charCodeAt(q + 1) === QUOTE) {
          value += line.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += line.slice(from, q);
        i = q + 1;
        break;
      }
      cells.push(value);
      if (i === n) return cells;
      if (line[i] !== delimiter) return null; // text after a closing quote
    } else {
      const d = line.indexOf(delimiter, i);
      const value = d < 0 ? line.slice(i) : line.slice(i, d);
      if (value.includes('"')) return null; // a stray quote: csv-parse's relax_quotes decides
      cells.push(value);
      if (d < 0) return cells;
      i = d;
    }
    i += delimiter.length;
    if (i === n) {
      cells.push('');
      return cells;
    }
  }
}

/** How many lines a region may grow by between attempts while its quote count is odd. */
const RETRY_EVERY_LINES = 64;

/**
 * Push text, get back the rows (records numbered from 1) it completes. `recordDelimiter` is what
 * csv-parse discovered ('\n' or '\r\n'; a file ending records in a bare '\r' is not split here).
 * A plain line's row also carries the line itself (RawRow.line) unless it holds a backslash or a
 * control character (other than a tab delimiter), which storing it as written would garble.
 */
export class CsvRecordSplitter {
  private carry = '';
  /** text after `carry` that holds no record delimiter: kept as pieces, joined once a delimiter
   * comes, so a long line costs its length once, not once per chunk */
  private pieces: string[] = [];
  private piecesLength = 0;
  private region: string | null = null;
  private regionLines = 0;
  private regionQuotes = 0;
  private regionLine = 0;
  private records = 0;
  private lines = 0;
  private readonly quoteMeansEscape: boolean;
  private readonly regionOptions: Options;
  private readonly notStorable: RegExp;

  constructor(
    private readonly dialect: CsvDialect,
    private readonly recordDelimiter: '\n' | '\r\n',
  ) {
    if (dialect.delimiter.length !== 1 || dialect.delimiter === '"') throw new Error(`delimiter ${JSON.stringify(dialect.delimiter)} cannot be split on`);
    this.quoteMeansEscape = dialect.escape === '"';
    this.regionOptions = { ...csvParseOptions(dialect), record_delimiter: recordDelimiter };
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
    this.notStorable = dialect.delimiter === '\t' ? /[\\\x00-\x08\x0a-\x1f]/ : /[\\\x00-\x1f]/;
  }

  push(text: string, out: RawRow[]): void {
    const rd = this.recordDelimiter;
    // a chunk inside a line (no delimiter in it, none across the seam): held, not concatenated
    if (this.carry.length > 0 && !text.includes(rd) && !(rd === '\r\n' && text.startsWith('\n') && this.lastCharIsCr())) {
      this.pieces.push(text);
      this.piecesLength += text.length;
      this.checkLength();
      return;
    }
    const all = this.carry.length > 0 ? this.joinCarry() + text : text;
    let pos = 0;
    for (;;) {
      const end = all.indexOf(rd, pos);
      if (end < 0) break;
      this.line(all.slice(pos, end), out);
      pos = end + rd.length;
    }
    this.carry = pos === 0 ? all : all.slice(pos);
    this.checkLength();
  }

  private lastCharIsCr(): boolean {
    const last = this.pieces.length > 0 ? this.pieces[this.pieces.length - 1]! : this.carry;
    return last.endsWith('\r');
  }

  private joinCarry(): string {
    if (this.pieces.length > 0) {
      this.carry += this.pieces.join('');
      this.pieces = [];
      this.piecesLength = 0;
    }
    return this.carry;
  }

  /** A line that never ends fails here, before it is copied or parsed: its record is too long. */
  private checkLength(): void {
    if ((this.region?.length ?? 0) + this.carry.length + this.piecesLength > this.dialect.maxRecordChars) {
      throw new CsvRecordTooLong(this.records, this.region === null ? this.lines + 1 : this.regionLine);
    }
  }

  end(out: RawRow[]): void {
    this.joinCarry();
    if (this.carry.length > 0 || this.region !== null) {
      // the last line has no delimiter after it: csv-parse ends the record at the end of input
      const rest = (this.region ?? '') + this.carry;
      this.carry = '';
      this.region = null;
      if (rest.length > 0) this.parseRegion(rest, out, true);
    }
  }

  private line(line: string, out: RawRow[]): void {
    this.lines++;
    if (this.region === null) {
      if (!line.includes('"')) {
        out.push(
          this.notStorable.test(line)
            ? { stream: '', rowNo: ++this.records, cells: line.split(this.dialect.delimiter) }
            : new LineRow('', ++this.records, line, this.dialect.delimiter),
        );
        return;
      }
      if (this.quoteMeansEscape) {
        const cells = splitStrictLine(line, this.dialect.delimiter);
        if (cells) {
          out.push({ stream: '', rowNo: ++this.records, cells });
          return;
        }
      }
      this.region = '';
      this.regionLine = this.lines;
      this.regionLines = 0;
      this.regionQuotes = 0;
    }
    this.region += line + this.recordDelimiter;
    this.regionLines++;
    for (let q = line.indexOf('"'); q >= 0; q = line.indexOf('"', q + 1)) this.regionQuotes++;
    // A complete quoted region has an even number of quotes unless stray quotes are in it; trying
    // only then (or now and then) keeps a long multi-line field from being re-parsed every line.
    if (this.region.length > this.dialect.maxRecordChars) throw new CsvRecordTooLong(this.records, this.regionLine);
    if (this.regionLines === 1 || this.regionQuotes % 2 === 0 || this.regionLines % RETRY_EVERY_LINES === 0) {
      if (this.parseRegion(this.region, out, false)) this.region = null;
    }
  }

  /** csv-parse over a region that starts at a record boundary; false while a quote is still open. */
  private parseRegion(region: string, out: RawRow[], final: boolean): boolean {
    let records: string[][];
    try {
      records = parseSync(region, this.regionOptions) as string[][];
    } catch (err) {
      const csvErr = err as CsvError;
      if (!final && csvErr.code === 'CSV_QUOTE_NOT_CLOSED' && region.length <= this.dialect.maxRecordChars) return false;
      const before = typeof csvErr.records === 'number' ? csvErr.records : 0;
      const line = this.region === null ? this.lines + 1 : this.regionLine;
      throw new CsvRecordError(csvErr, this.records + before, line);
    }
    for (const cells of records) out.push({ stream: '', rowNo: ++this.records, cells });
    return true;
  }
}

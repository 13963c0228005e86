/**
 * What the SQL dump parsers (mysqldump.ts, pgdump.ts) share: the dump's bytes as a latin1 string
 * (one char per byte, lossless), read in chunks and consumed in resumable units, with string
 * literals decoded from the dump's encoding only once complete.
 *
 * Why bytes and not decoded text: dumps carry raw binary strings (mysqldump without --hex-blob)
 * that are valid in no encoding, and in GBK/GB18030 a trail byte can be 0x5C (a backslash) or
 * 0x27 (a quote) inside a character — MySQL and PostgreSQL scan those dumps multibyte-aware, and
 * so do we (`skipMultibyte`).
 *
 * A unit is a statement head, one tuple or one COPY line. Parsing a unit either completes and
 * advances `pos`, or runs out of text and throws NEED_MORE: the driver then reads more (at least
 * doubling what is pending, so a long unit costs linear time) and parses the unit again.
 */
import { isUtf8 } from 'node:buffer';
import { canonicalEncoding, completePrefix, decodeBytes, detectEncoding, type DetectedEncoding } from './detect-encoding';
import { type Chunk, readChunks, readHead } from './file-chunks';
import { LimitGuard } from './limits';
import { eachRow, finishRows } from './rows';
import { sqlNumber } from './sql-number';

export { sqlNumber };
import { ExtractError, type ExtractOptions, type RawCell, type RawRow, type StreamInfo } from './types';

export const NEED_MORE = Symbol('need-more');

const NON_ASCII = /[\x80-\xff]/;
/** Reused for decoding string literals (parsing is synchronous, so one buffer serves all). */
const SCRATCH = Buffer.allocUnsafe(64 * 1024);
const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/y;
/** Character codes the SQL scanners look for (the text is bytes as latin1 chars). */
export const QUOTE = 0x27;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const LPAREN = 0x28;
export const RPAREN = 0x29;
export const COMMA = 0x2c;

export interface InsertState {
  readonly table: string;
  /** the statement's column list, when it has one */
  readonly listed: string[] | undefined;
}
const WORD_CHAR = /[A-Za-z0-9_$\x80-\xff]/;

export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

export abstract class DumpParser {
  protected text = '';
  /** the bytes `text` is the latin1 view of */
  private bytes: Buffer = Buffer.alloc(0);
  /** UTF-8 dumps: bytes[0, validUtf8) are known to be valid UTF-8, ending on a character */
  private validUtf8 = 0;
  /** file offset of text[0] */
  protected base = 0;
  protected pos = 0;
  protected eof = false;
  /** GB18030/GBK dumps: skip multibyte characters when looking for quotes and backslashes */
  protected readonly multibyte: boolean;
  private readonly rowCounts = new Map<string, number>();
  protected readonly columns = new Map<string, string[]>();
  /** streams in order of first appearance (CREATE TABLE, INSERT or COPY) */
  protected readonly streamOrder: string[] = [];

  constructor(
    protected readonly file: string,
    protected readonly guard: LimitGuard,
    protected readonly encoding: DetectedEncoding,
    /** streams() pre-scan: tuples are lexed but no rows are built */
    protected readonly scanOnly: boolean,
  ) {
    // the scanner looks for ASCII quotes and delimiters byte by byte: UTF-16 has no such bytes
    if (/^utf-?16/.test(encoding.encoding)) {
      throw new ExtractError(`${encoding.encoding} dumps are not supported; convert to UTF-8`, file, undefined, undefined, undefined, 'extract.encoding_unsupported');
    }
    this.multibyte = encoding.encoding === 'gb18030';
  }

  /** Parses one unit (advancing `pos`) or throws NEED_MORE, pushing any row to `out`. */
  protected parseUnit(out: RawRow[]): void {
    if (this.insert) {
      this.parseTuple(this.insert, out);
      return;
    }
    const statement = this.statementStart();
    if (statement) this.parseStatement(...statement);
  }

  /** A statement starting with `word` (upper-cased) at `start`; the word ends at `afterWord`. */
  protected abstract parseStatement(word: string, afterWord: number, start: number): void;

  /**
   * At statement level: the statement's first word, its end and where the statement starts — or
   * undefined after consuming white space and comments, which are a unit of their own.
   */
  protected statementStart(): [string, number, number] | undefined {
    const start = this.skipSpace(this.pos);
    if (start > this.pos || start >= this.text.length) {
      this.pos = start;
      if (start >= this.text.length && !this.eof) throw NEED_MORE;
      return undefined;
    }
    const [word, afterWord] = this.word(start);
    return [word.toUpperCase(), afterWord, start];
  }

  /** Called at the end of the file: a parser still inside a block fails here. */
  protected finish(): void {}

  /** Index of the first character at or after i that is neither white space nor a comment. */
  protected abstract skipSpace(i: number): number;

  protected need(): never {
    throw NEED_MORE;
  }

  /** A bare word (letters, digits, _, $ and multibyte characters) starting at i. */
  protected word(i: number): [string, number] {
    const { text } = this;
    let j = i;
    while (j < text.length && WORD_CHAR.test(text[j]!)) j++;
    if (j >= text.length && !this.eof) throw NEED_MORE;
    return [text.slice(i, j), j];
  }

  /** The next bare word after white space, upper-cased. */
  protected keyword(i: number): [string, number] {
    const [word, after] = this.word(this.skipSpace(i));
    return [word.toUpperCase(), after];
  }

  /** Index after the line that contains i (or the end of the text at the end of the file). */
  protected lineEnd(i: number): number {
    const eol = this.text.indexOf('\n', i);
    if (eol >= 0) return eol + 1;
    if (this.eof) return this.text.length;
    throw NEED_MORE;
  }

  /** Rows in batches, one per stretch of text parsed. */
  async *rows(chunks: AsyncIterable<Chunk>): AsyncGenerator<RawRow[]> {
    let out: RawRow[] = [];
    let wanted = 0;
    const iterator = chunks[Symbol.asyncIterator]();
    for (;;) {
      // read until the pending text is at least `wanted` long (or the file ends), appended in one
      // go: appending chunk by chunk would copy and decode a long statement once per chunk
      const fresh: Buffer[] = [];
      let freshBytes = 0;
      while (!this.eof && this.text.length - this.pos + freshBytes < wanted) {
        const next = await iterator.next();
        if (next.done) this.eof = true;
        else {
          const skip = Math.max(0, this.encoding.bomLength - next.value.offset);
          const buf = skip > 0 ? next.value.buf.subarray(skip) : next.value.buf;
          fresh.push(buf);
          freshBytes += buf.length;
        }
      }
      if (fresh.length > 0) this.append(fresh.length === 1 ? fresh[0]! : Buffer.concat(fresh, freshBytes));
      const before = this.pos;
      this.parseAvailable(out);
      if (out.length > 0) {
        yield out;
        out = [];
      }
      if (this.eof && this.pos >= this.text.length) {
        this.finish();
        return;
      }
      if (this.eof) throw this.truncated();
      const pending = this.text.length - this.pos;
      // no progress: read twice as much, but never past the longest a statement or row may be
      wanted = this.pos === before ? Math.min(Math.max(pending * 2, 64 * 1024), this.guard.maxRowChars + 1) : pending + 1;
      if (pending > this.guard.maxRowChars) {
        throw this.guard.recordTooLong(undefined, undefined, this.base + this.pos);
      }
    }
  }

  /** `buf`: file bytes after the BOM, following what is held. */
  private append(buf: Buffer): void {
    if (this.pos > 0) {
      this.base += this.pos;
      this.bytes = this.bytes.subarray(this.pos);
      this.validUtf8 = Math.max(0, this.validUtf8 - this.pos);
      this.pos = 0;
    }
    this.bytes = this.bytes.length > 0 ? Buffer.concat([this.bytes, buf]) : buf;
    // decoded afresh rather than appended: a concatenated string is a rope, and every indexOf and
    // slice on a rope costs more than the one copy that makes it flat
    this.text = this.bytes.toString('latin1');
    if (this.encoding.encoding === 'utf-8') {
      // one native check per chunk instead of one per string; an invalid byte (a raw binary
      // string) stops the known-valid stretch there, and strings past it are checked one by one
      const cut = completePrefix(this.bytes);
      if (cut > this.validUtf8 && isUtf8(this.bytes.subarray(this.validUtf8, cut))) this.validUtf8 = cut;
    }
  }

  /** where the next backslash at or after `backslashFrom` is (Infinity: none in the text) */
  private backslashAt = -1;
  private backslashFrom = 0;
  private backslashText = '';

  /** Index of the first backslash at or after i (Infinity if none): cached, since units are
   * read left to right and an indexOf from every unit to the end of the text would be quadratic. */
  protected backslashAfter(i: number): number {
    if (this.backslashText !== this.text || i < this.backslashFrom) {
      this.backslashText = this.text;
      this.backslashAt = -1;
    }
    if (this.backslashAt !== Infinity && this.backslashAt < i) {
      const at = this.text.indexOf('\\', i);
      this.backslashAt = at < 0 ? Infinity : at;
    }
    this.backslashFrom = i;
    return this.backslashAt;
  }

  /**
   * Text `from`..`to` decoded, where it lies in the stretch known to be valid UTF-8 — straight
   * from the bytes, no per-string check; undefined elsewhere (decode() then checks the bytes).
   */
  protected validUtf8Text(from: number, to: number): string | undefined {
    return to <= this.validUtf8 ? this.bytes.toString('utf8', from, to) : undefined;
  }

  private parseAvailable(out: RawRow[]): void {
    while (this.pos < this.text.length) {
      const start = this.pos;
      try {
        this.parseUnit(out);
      } catch (err) {
        if (err !== NEED_MORE) throw err;
        this.pos = start;
        return;
      }
      if (this.pos === start) throw new Error(`dump parser made no progress at byte ${this.offsetOf(start)}`);
    }
  }

  protected truncated(): ExtractError {
    return new ExtractError('dump ends inside a statement (truncated?)', this.file, undefined, undefined, undefined, 'extract.dump_truncated', this.base + this.pos);
  }

  protected code(i: number): number {
    if (i >= this.text.length) throw NEED_MORE;
    return this.text.charCodeAt(i);
  }

  /** Offset in the file of text position i, for error messages. */
  protected offsetOf(i: number): number {
    return this.base + i;
  }

  /** Index after the multibyte character that starts at i (GB18030: 2 or 4 bytes). */
  protected skipMultibyte(i: number): number {
    const second = this.code(i + 1);
    return second >= 0x30 && second <= 0x39 ? i + 4 : i + 2;
  }

  /** Decodes a byte string from the dump's encoding; ASCII passes through untouched. */
  protected decode(bytes: string, at: number, stream?: string, rowNo?: number): string {
    if (!NON_ASCII.test(bytes)) return bytes;
    // valid UTF-8 (nearly every string of a UTF-8 dump) is checked natively in a reused buffer;
    // the validator below runs only to find where an invalid string goes wrong
    if (this.encoding.encoding === 'utf-8' && bytes.length <= SCRATCH.length) {
      const n = SCRATCH.write(bytes, 0, 'latin1');
      const view = SCRATCH.subarray(0, n);
      if (isUtf8(view)) return view.toString('utf8');
    }
    try {
      return decodeBytes(Buffer.from(bytes, 'latin1'), this.encoding.encoding, this.file, this.offsetOf(at));
    } catch (err) {
      if (err instanceof ExtractError) {
        throw new ExtractError('invalid byte sequence in a string', this.file, stream, rowNo, undefined, err.code, err.byteOffset);
      }
      throw err;
    }
  }

  /** Lossless text for binary values: 0x + upper-case hex of the bytes. */
  protected static hexOf(bytes: string): string {
    return `0x${Buffer.from(bytes, 'latin1').toString('hex').toUpperCase()}`;
  }

  protected noteStream(name: string, columns?: string[]): void {
    if (!this.rowCounts.has(name)) {
      this.rowCounts.set(name, 0);
      this.streamOrder.push(name);
    }
    if (columns && columns.length > 0) {
      const known = this.columns.get(name);
      if (!known) this.columns.set(name, [...columns]);
      else for (const column of columns) if (!known.includes(column)) known.push(column);
    }
  }

  /** The next tuple ordinal of a table (1-based), without taking it. */
  protected nextRowNo(stream: string): number {
    return (this.rowCounts.get(stream) ?? 0) + 1;
  }

  protected takeRowNo(stream: string): number {
    const rowNo = this.nextRowNo(stream);
    this.rowCounts.set(stream, rowNo);
    return rowNo;
  }

  protected checked(value: string, stream: string, rowNo: number): string {
    this.guard.checkCellChars(value.length, stream, rowNo);
    return value;
  }

  /**
   * A tuple or COPY line with another number of values than its columns is refused with its row:
   * every value after the damage would land in the wrong column, and neither pg_dump nor
   * mysqldump writes one — the dump was cut or edited by hand, so the file fails (nothing of it is
   * loaded) rather than one row going to the steward queue while its neighbours, split or joined by
   * the same damage, load shifted. Checked only where the columns are known (a column list, or the
   * dump's CREATE TABLE).
   */
  protected checkWidth(stream: string, listed: string[] | undefined, count: number, rowNo: number, at: number): void {
    const expected = listed ?? this.columns.get(stream);
    if (!expected || count === expected.length) return;
    const whose = listed ? 'its statement lists' : 'the table has';
    throw new ExtractError(
      `${count} values where ${whose} ${expected.length} columns (${expected.join(', ')}): the row is refused, its values would land in the wrong columns`,
      this.file,
      stream,
      rowNo,
      undefined,
      'extract.column_count',
      this.offsetOf(at),
    );
  }

  protected error(message: string, i: number, stream?: string, rowNo?: number, field?: string): ExtractError {
    return new ExtractError(message, this.file, stream, rowNo, field, 'extract.dump_invalid', this.offsetOf(i));
  }

  // ── what MySQL and PostgreSQL statements share: INSERT tuples, column lists, literals ──

  /** Rows of the INSERT statement being read, between its tuples. */
  protected insert: InsertState | undefined;

  /** ` in MySQL, " in PostgreSQL */
  protected abstract readonly identifierQuote: number;
  protected abstract skipStatement(i: number): number;
  /** End of the quoted literal or identifier starting at i. */
  protected abstract skipQuotedAt(i: number): number;
  /** A possibly qualified identifier (db.table, schema."Table"), unquoted and decoded. */
  protected abstract identifier(i: number): [string, number];
  protected abstract value(i: number, stream: string, rowNo: number, index: number): [RawCell, number];
  /** Where the statement ends if its terminator is at i (after the terminator), else undefined. */
  protected abstract statementEnd(i: number): number | undefined;

  /** Whatever may follow a value before , or ) (PostgreSQL: a ::cast). */
  protected afterValue(i: number): number {
    return i;
  }

  /** ( a, `b`, … ) */
  protected columnList(i: number): [string[], number] {
    const columns: string[] = [];
    for (i = this.skipSpace(i + 1); ; ) {
      if (this.code(i) === RPAREN) return [columns, i + 1];
      const [name, after] = this.identifier(this.skipSpace(i));
      columns.push(name);
      i = this.skipSpace(after);
      const c = this.code(i);
      if (c === COMMA) i = this.skipSpace(i + 1);
      else if (c !== RPAREN) throw this.error('column list: , or ) expected', i);
    }
  }

  /** Column names from CREATE TABLE ( … ): the first identifier of each top-level definition. */
  protected columnDefinitions(i: number, columns: string[], notColumns: ReadonlySet<string>): number {
    i += 1;
    for (;;) {
      i = this.skipSpace(i);
      if (this.code(i) === this.identifierQuote) {
        columns.push(this.identifier(i)[0]);
      } else {
        const [word] = this.word(i);
        if (word && !notColumns.has(word.toUpperCase())) columns.push(this.decode(word, i));
      }
      // on to the next top-level comma, or the closing parenthesis
      let depth = 0;
      for (;;) {
        const c = this.code(i);
        if (c === QUOTE || c === DQUOTE || c === this.identifierQuote) {
          i = this.skipQuotedAt(i);
          continue;
        }
        if (c === LPAREN) depth++;
        else if (c === RPAREN && depth-- === 0) return i + 1;
        else if (c === COMMA && depth === 0) break;
        i = this.multibyte && c >= 0x81 ? this.skipMultibyte(i) : i + 1;
      }
      i += 1;
    }
  }

  /** One ( … ) tuple and what follows it: `,` (more tuples) or the end of the statement. */
  protected parseTuple(insert: InsertState, out: RawRow[]): void {
    const { table } = insert;
    const rowNo = this.nextRowNo(table);
    let i = this.skipSpace(this.pos);
    if (this.code(i) !== LPAREN) throw this.error('( expected', i, table, rowNo);
    const values: RawCell[] = [];
    i = this.skipSpace(i + 1);
    if (this.code(i) !== RPAREN) {
      for (;;) {
        let value: RawCell;
        [value, i] = this.value(this.skipSpace(i), table, rowNo, values.length);
        values.push(value);
        this.guard.checkCellCount(values.length, table, rowNo);
        i = this.afterValue(this.skipSpace(i));
        const c = this.code(i);
        if (c === RPAREN) break;
        if (c !== COMMA) throw this.error(', or ) expected after a value', i, table, rowNo);
        i += 1;
      }
    }
    let ended = false; // state changes only once the whole unit is parsed (NEED_MORE re-parses it)
    i = this.skipSpace(i + 1);
    const atEof = i >= this.text.length && this.eof;
    const end = atEof ? i : this.code(i) === COMMA ? undefined : this.statementEnd(i);
    if (end !== undefined) {
      i = end; // at the end of the file the last statement may lack its terminator
      ended = true;
    } else if (this.code(i) === COMMA) {
      i += 1;
    } else if (this.keyword(i)[0] === 'ON') {
      i = this.skipStatement(i); // ON DUPLICATE KEY UPDATE / ON CONFLICT: nothing to read
      ended = true;
    } else {
      throw this.error(', or end of statement expected after a tuple', i, table, rowNo);
    }
    this.checkWidth(table, insert.listed, values.length, rowNo, this.pos);
    if (ended) this.insert = undefined;
    this.pos = i;
    this.takeRowNo(table);
    if (!this.scanOnly) out.push({ stream: table, rowNo, cells: this.align(table, insert.listed, values) });
  }

  /** A numeric literal at i. */
  protected numberAt(i: number, stream: string, rowNo: number): [RawCell, number] {
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(this.text);
    if (!match) throw this.error('bad number', i, stream, rowNo);
    const end = i + match[0].length;
    this.code(end); // the number may go on in the next chunk
    return [sqlNumber(match[0]), end];
  }

  /** NULL, TRUE, FALSE — and anything else is an expression, which is never evaluated. */
  protected keywordValue(i: number, stream: string, rowNo: number, index: number): [RawCell, number] {
    const [word, end] = this.word(i);
    switch (word.toUpperCase()) {
      case 'NULL':
        return [null, end];
      case 'TRUE':
        return [true, end];
      case 'FALSE':
        return [false, end];
    }
    const shown = JSON.stringify(word || this.text.slice(i, i + 20));
    throw this.error(`value ${index + 1} is not a literal (${shown}); expressions are never evaluated`, i, stream, rowNo, this.columns.get(stream)?.[index]);
  }

  /** Whether c can start a numeric literal. */
  protected static startsNumber(c: number): boolean {
    return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e;
  }

  /**
   * The bytes of the quoted literal at i with '' doubling and, where `escape` is given, backslash
   * escapes resolved (escape(j) reads after the backslash); and the index after the closing quote.
   */
  protected quotedBytes(i: number, stream: string, rowNo: number, escape?: (j: number) => [string, number]): [string, number] {
    const { text } = this;
    const q = text.charCodeAt(i);
    const maxBytes = this.guard.limits.maxCellChars * 4 + 8;
    let value = '';
    let segment = i + 1;
    for (let j = i + 1; ; ) {
      if (j - i > maxBytes) this.guard.checkCellChars(j - i, stream, rowNo);
      const c = this.code(j);
      if (c === q) {
        if (this.code(j + 1) === q) {
          value += text.slice(segment, j + 1);
          j += 2;
          segment = j;
          continue;
        }
        return [value + text.slice(segment, j), j + 1];
      }
      if (c === BACKSLASH && escape) {
        const [bytes, after] = escape(j + 1);
        value += text.slice(segment, j) + bytes;
        j = segment = after;
      } else if (this.multibyte && c >= 0x81) {
        j = this.skipMultibyte(j);
      } else {
        j++;
      }
    }
  }

  /** A string literal's text: its bytes decoded, within the cell length limit. */
  protected stringValue(i: number, stream: string, rowNo: number, escape?: (j: number) => [string, number]): [string, number] {
    const [raw, end] = this.quotedBytes(i, stream, rowNo, escape);
    return [this.checked(this.decode(raw, i, stream, rowNo), stream, rowNo), end];
  }

  /** The statement lists no columns, or the stream's own in their order: no re-ordering needed. */
  protected inTableOrder(stream: string, listed: string[] | undefined): boolean {
    const columns = this.columns.get(stream);
    return !listed || !columns || (listed.length === columns.length && listed.every((c, i) => columns[i] === c));
  }

  streams(): StreamInfo[] {
    return this.streamOrder.map((name) => {
      const columns = this.columns.get(name);
      return columns ? { name, columns: [...columns] } : { name };
    });
  }

  /**
   * Cells in the stream's column order when the statement named its columns, so two INSERTs
   * listing columns differently still give the same positions; columns it leaves out are null.
   */
  protected align(stream: string, listed: string[] | undefined, values: (string | number | boolean | null)[]): (string | number | boolean | null)[] {
    const columns = this.columns.get(stream);
    if (!listed || !columns || listed.length !== values.length) return values;
    if (this.inTableOrder(stream, listed)) return values;
    const cells = new Array<string | number | boolean | null>(columns.length).fill(null);
    listed.forEach((c, i) => {
      cells[columns.indexOf(c)] = values[i] ?? null;
    });
    return cells;
  }
}

/** The dump's encoding: declared, else BOM, else the charset the dump declares, else detected. */
async function detectDumpEncoding(
  file: string,
  guard: LimitGuard,
  declared: string | undefined,
  sniff: (head: string) => string | undefined,
): Promise<DetectedEncoding> {
  const head = (await readHead(file, 64 * 1024)).toString('latin1');
  let formatDeclared = sniff(head);
  try {
    if (formatDeclared) canonicalEncoding(formatDeclared, file);
  } catch {
    formatDeclared = undefined; // a charset we cannot decode: detect instead
  }
  return detectEncoding(file, guard, { declared, formatDeclared });
}

export interface DumpSource {
  readonly encoding: DetectedEncoding;
  /** tables in order of appearance, with column names (a full pre-scan of the dump, memoized) */
  streams(): Promise<StreamInfo[]>;
  /** what the last batches() read has met so far: every stream once it has read to the end */
  streamsRead(): StreamInfo[];
  batches(): AsyncGenerator<RawRow[]>;
  rows(): AsyncGenerator<RawRow>;
}

type ParserFactory = (file: string, guard: LimitGuard, encoding: DetectedEncoding, scanOnly: boolean) => DumpParser;

export async function openDump(options: ExtractOptions, sniff: (head: string) => string | undefined, create: ParserFactory): Promise<DumpSource> {
  const { file } = options;
  const encoding = await detectDumpEncoding(file, new LimitGuard(file, options.limits), options.encoding, sniff);
  let streams: StreamInfo[] | undefined;
  let reading: DumpParser | undefined;
  const batches = (): AsyncGenerator<RawRow[]> => {
    const guard = new LimitGuard(file, options.limits);
    const parser = create(file, guard, encoding, false);
    reading = parser;
    return finishRows(parser.rows(readChunks(file, guard)), guard, options.resumeAfter, { dropTrailingBlanks: false });
  };
  return {
    encoding,
    async streams() {
      if (!streams) {
        const guard = new LimitGuard(file, options.limits);
        const parser = create(file, guard, encoding, true);
        for await (const _ of parser.rows(readChunks(file, guard))) void _;
        streams = parser.streams();
      }
      return streams;
    },
    streamsRead: () => reading?.streams() ?? [],
    batches,
    rows: () => eachRow(batches()),
  };
}

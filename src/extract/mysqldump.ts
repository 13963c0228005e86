/**
 * mysqldump and GUI-tool INSERT exports, tokenized and never executed. Rows come from INSERT /
 * REPLACE … VALUES tuples (extended multi-row or one per statement); CREATE TABLE gives column
 * names; every other statement (DROP, SET, LOCK, procedures between DELIMITER lines) is skipped.
 * SQL inside string literals is data. A value that is not a literal (a function call, DEFAULT,
 * INSERT … SELECT) cannot be read without executing SQL and is rejected with its locator.
 *
 * Values: strings with MySQL escapes (\0 \' \" \b \n \r \t \Z \\, and \% \_ kept as written, as
 * MySQL does outside LIKE), '' doubling; NULL → null; numbers → number when a double holds them
 * exactly (sqlNumber); TRUE/FALSE → boolean; b'101' → number; _binary '…', X'…' and 0x… → the
 * text 0x + upper-case hex (lossless: binary data is valid in no encoding).
 * stream = table name as written (unquoted), rowNo = tuple ordinal within the table.
 */
import { BACKSLASH, DQUOTE, DumpParser, type DumpSource, type InsertState, LPAREN, NEED_MORE, QUOTE, isSpace, openDump, sqlNumber } from './dump-reader';
import { TupleRow } from './tuple-row';
import { type ExtractOptions, type RawCell, type RawRow } from './types';

const BACKTICK = 0x60;
/** An integer or decimal as mysqldump writes them; exponents and the rest take the general path. */
const NON_ASCII = /[\x80-\xff]/;
/** plainTuple's characters as module constants: an imported binding compiles to a property read
 * (a getter call, under CommonJS) at every use, which showed in the profile of the hot loop */
const OPEN = 0x28;
const CLOSE = 0x29;
const SEPARATOR = 0x2c;
const APOSTROPHE = 0x27;
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const CONTROL = /[\x00-\x1f]/;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

const MYSQL_ESCAPES: Record<string, string> = {
  '0': '\0',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
  '%': '\\%',
  _: '\\_',
};

/** Words that start a key or constraint in CREATE TABLE, not a column. */
const NOT_COLUMNS = new Set(['PRIMARY', 'KEY', 'INDEX', 'UNIQUE', 'CONSTRAINT', 'FOREIGN', 'FULLTEXT', 'SPATIAL', 'CHECK', 'PERIOD']);




class MysqlDumpParser extends DumpParser {
  private delimiter = ';';
  protected readonly identifierQuote = BACKTICK;
  protected override parseUnit(out: RawRow[]): void {
    if (this.insert && !this.multibyte && (this.tupleAsText(this.insert, out) || this.plainTuple(this.insert, out))) return;
    super.parseUnit(out);
  }

  /** Per stream: the INSERT lists no columns, or the table's in their order (no re-ordering). */
  private readonly inOrder = new WeakMap<InsertState, boolean>();

  /**
   * A plain tuple (see plainTuple) kept as its decoded text (TupleRow), its cells read only if
   * someone asks — landing stores the text. Only scanned here: strings closed without escapes or
   * doubled quotes, numbers plain, NULL; the tuple decoded from the valid-UTF-8 stretch, with no
   * control character in it, and no column re-ordering. False, with nothing consumed, otherwise.
   */
  private tupleAsText(insert: InsertState, out: RawRow[]): boolean {
    const { text } = this;
    const start = this.pos;
    if (text.charCodeAt(start) !== OPEN) return false;
    let inOrder = this.inOrder.get(insert);
    if (inOrder === undefined) this.inOrder.set(insert, (inOrder = this.inTableOrder(insert.table, insert.listed)));
    if (!inOrder) return false;
    let i = start + 1;
    let count = 0;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === APOSTROPHE) {
        const close = text.indexOf("'", i + 1);
        if (close < 0 || text.charCodeAt(close + 1) === APOSTROPHE || this.backslashAfter(i + 1) < close) return false;
        i = close + 1;
      } else if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
        // -?digits(.digits)? — what PLAIN_NUMBER accepts
        let j = c === 0x2d ? i + 1 : i;
        const digitsFrom = j;
        while (isDigit(text.charCodeAt(j))) j++;
        if (j === digitsFrom) return false;
        if (text.charCodeAt(j) === 0x2e) {
          const fraction = ++j;
          while (isDigit(text.charCodeAt(j))) j++;
          if (j === fraction) return false;
        }
        i = j;
      } else if (c === 0x4e && text.startsWith('NULL', i)) {
        i += 4;
      } else {
        return false;
      }
      count++;
      const next = text.charCodeAt(i);
      if (next === SEPARATOR) i++;
      else if (next === CLOSE) break;
      else return false;
    }
    const after = text.charCodeAt(i + 1);
    const ends = after === 0x3b && this.delimiter === ';';
    if (after !== SEPARATOR && !ends) return false;
    const tuple = this.validUtf8Text(start, i + 1);
    if (tuple === undefined || CONTROL.test(tuple)) return false;
    const { table } = insert;
    const rowNo = this.nextRowNo(table);
    this.guard.checkCellCount(count, table, rowNo);
    this.checkWidth(table, insert.listed, count, rowNo, start);
    this.pos = i + 2;
    if (ends) this.insert = undefined;
    this.takeRowNo(table);
    if (!this.scanOnly) out.push(new TupleRow(table, rowNo, tuple));
    return true;
  }


  /**
   * The tuples mysqldump writes, at speed: `(` literals `)` with strings free of escapes and
   * doubled quotes, plain numbers and NULL, followed by `,` or `;`. Anything else — escapes,
   * hex/bit/binary literals, white space, a tuple cut by the chunk end — returns false with
   * nothing consumed, and the general parser reads the same tuple. Single-byte-safe encodings
   * only: in GBK a trail byte can be 0x5C.
   */
  private plainTuple(insert: InsertState, out: RawRow[]): boolean {
    const { text } = this;
    const { table } = insert;
    const start = this.pos;
    let i = start;
    if (text.charCodeAt(i) !== OPEN) return false;
    i++;
    const rowNo = this.nextRowNo(table);
    const values: RawCell[] = [];
    /** which values are strings (still bytes as latin1 text) */
    const strings: number[] = [];
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === APOSTROPHE) {
        const close = text.indexOf("'", i + 1);
        if (close < 0 || text.charCodeAt(close + 1) === APOSTROPHE || this.backslashAfter(i + 1) < close) return false;
        strings.push(values.length);
        values.push(text.slice(i + 1, close));
        i = close + 1;
      } else if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
        let j = i + 1;
        for (let d = text.charCodeAt(j); (d >= 0x30 && d <= 0x39) || d === 0x2e; d = text.charCodeAt(++j));
        const literal = text.slice(i, j);
        if (!PLAIN_NUMBER.test(literal)) return false;
        values.push(sqlNumber(literal));
        i = j;
      } else if (c === 0x4e && text.startsWith('NULL', i)) {
        values.push(null);
        i += 4;
      } else {
        return false;
      }
      const next = text.charCodeAt(i);
      if (next === SEPARATOR) i++;
      else if (next === CLOSE) break;
      else return false;
    }
    const after = text.charCodeAt(i + 1);
    if (after === SEPARATOR || (after === 0x3b && this.delimiter === ';')) this.checkWidth(table, insert.listed, values.length, rowNo, start);
    if (after === SEPARATOR) {
      this.pos = i + 2;
    } else if (after === 0x3b && this.delimiter === ';') {
      this.pos = i + 2;
      this.insert = undefined;
    } else {
      return false;
    }
    this.guard.checkCellCount(values.length, table, rowNo);
    if (strings.length > 0) {
      // One decode per tuple, not per string: in UTF-8 no byte of a multibyte character is ASCII,
      // so the decoded tuple still splits on its quotes into the same strings, in order. A tuple
      // that decodes to as many characters as it has bytes is ASCII: its strings are right as they are.
      const end = i + 1;
      const valid = this.validUtf8Text(start, end);
      let decoded: string | undefined;
      if (valid !== undefined) {
        if (valid.length !== end - start) decoded = valid;
      } else {
        const span = text.slice(start, end);
        if (NON_ASCII.test(span)) decoded = this.decode(span, start, table, rowNo);
      }
      if (decoded !== undefined) {
        const parts = decoded.split("'");
        strings.forEach((index, k) => (values[index] = parts[2 * k + 1]!));
      }
      for (const index of strings) this.checked(values[index] as string, table, rowNo);
    }
    this.takeRowNo(table);
    if (!this.scanOnly) out.push({ stream: table, rowNo, cells: this.align(table, insert.listed, values) });
    return true;
  }

  protected parseStatement(word: string, afterWord: number, start: number): void {
    switch (word) {
      case 'DELIMITER':
        this.parseDelimiter(afterWord);
        break;
      case 'INSERT':
      case 'REPLACE':
        this.parseInsertHead(afterWord);
        break;
      case 'CREATE':
        this.parseCreate(afterWord);
        break;
      default:
        this.pos = this.skipStatement(start);
    }
  }

  /** Skips white space, `#` and `-- ` comments and /* … *\/ (conditional ones too: never run). */
  protected skipSpace(i: number): number {
    const { text } = this;
    for (;;) {
      if (i >= text.length) return i;
      const c = text.charCodeAt(i);
      if (isSpace(c)) {
        i++;
      } else if (c === 0x23 || (c === 0x2d && this.code(i + 1) === 0x2d && this.spaceAfterDashes(i + 2))) {
        i = this.lineEnd(i);
      } else if (c === 0x2f && this.code(i + 1) === 0x2a) {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) throw NEED_MORE;
        i = end + 2;
      } else {
        return i;
      }
    }
  }

  /** MySQL reads `--` as a comment only before white space (or the end): `1--1` is arithmetic. */
  private spaceAfterDashes(i: number): boolean {
    if (i < this.text.length) return isSpace(this.text.charCodeAt(i));
    if (this.eof) return true;
    throw NEED_MORE;
  }

  private parseDelimiter(i: number): void {
    const end = this.lineEnd(i);
    const delimiter = this.text.slice(i, end).trim();
    if (delimiter === '') throw this.error('DELIMITER without a delimiter', i);
    this.delimiter = delimiter;
    this.pos = end;
  }

  /** Position after the statement that contains i: the delimiter outside quotes and comments. */
  protected skipStatement(i: number): number {
    const { text, delimiter } = this;
    const first = delimiter.charCodeAt(0);
    for (;;) {
      if (i >= text.length) {
        if (this.eof) return i; // a last statement without its delimiter
        throw NEED_MORE;
      }
      const c = text.charCodeAt(i);
      if (c === first && text.startsWith(delimiter, i)) return i + delimiter.length;
      if (c === QUOTE || c === DQUOTE || c === BACKTICK) i = this.skipQuotedAt(i);
      else if (c === 0x23 || c === 0x2d || c === 0x2f) i = Math.max(this.skipSpace(i), i + 1);
      else if (this.multibyte && c >= 0x81) i = this.skipMultibyte(i);
      else i++;
    }
  }

  /** End of a quoted string or identifier starting at i (backslash escapes except in backticks). */
  protected skipQuotedAt(i: number): number {
    const q = this.text.charCodeAt(i);
    for (let j = i + 1; ; ) {
      const c = this.code(j);
      if (c === q) {
        if (this.code(j + 1) !== q) return j + 1;
        j += 2;
      } else if (c === BACKSLASH && q !== BACKTICK) j += 2;
      else if (this.multibyte && c >= 0x81) j = this.skipMultibyte(j);
      else j++;
    }
  }

  /** An identifier: `quoted` (`` doubles) or bare; db.table joined with a dot. */
  protected identifier(i: number): [string, number] {
    const parts: string[] = [];
    for (;;) {
      let part: string;
      if (this.code(i) === BACKTICK) {
        const end = this.skipQuotedAt(i);
        part = this.text.slice(i + 1, end - 1).replace(/``/g, '`');
        i = end;
      } else {
        [part, i] = this.word(i);
        if (part === '') throw this.error('identifier expected', i);
      }
      parts.push(this.decode(part, i));
      if (this.code(i) !== 0x2e) return [parts.join('.'), i];
      i += 1;
    }
  }

  private parseInsertHead(i: number): void {
    let [word, after] = this.keyword(i);
    while (['LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY', 'IGNORE', 'INTO'].includes(word)) [word, after] = this.keyword(after);
    const [table, afterTable] = this.identifier(this.skipSpace(after - word.length));
    let j = this.skipSpace(afterTable);
    let listed: string[] | undefined;
    if (this.code(j) === LPAREN) {
      [listed, j] = this.columnList(j);
      j = this.skipSpace(j);
    }
    const [values, afterValues] = this.keyword(j);
    if (values !== 'VALUES' && values !== 'VALUE') {
      // INSERT … SELECT / SET cannot be read without running SQL: refuse rather than lose rows
      throw this.error(`INSERT into ${table} without VALUES (${values || 'nothing'}) is not supported`, j);
    }
    this.noteStream(table, listed);
    this.insert = { table, listed };
    this.pos = afterValues;
  }

  private parseCreate(i: number): void {
    let [word, after] = this.keyword(i);
    if (word === 'TEMPORARY') [word, after] = this.keyword(after);
    if (word !== 'TABLE') {
      this.pos = this.skipStatement(after);
      return;
    }
    let j = this.skipSpace(after);
    const [maybeIf, afterIf] = this.keyword(j);
    if (maybeIf === 'IF') j = this.skipSpace(this.keyword(this.keyword(afterIf)[1])[1]); // IF NOT EXISTS
    const [table, afterTable] = this.identifier(j);
    j = this.skipSpace(afterTable);
    const columns: string[] = [];
    if (this.code(j) === LPAREN) j = this.columnDefinitions(j, columns, NOT_COLUMNS);
    this.pos = this.skipStatement(j);
    this.noteStream(table, columns);
  }

  protected statementEnd(i: number): number | undefined {
    if (i + this.delimiter.length > this.text.length && !this.eof) throw NEED_MORE; // a delimiter cut by the chunk end
    return this.text.startsWith(this.delimiter, i) ? i + this.delimiter.length : undefined;
  }

  /** MySQL string escapes: \0 \b \n \r \t \Z, \% and \_ kept, any other character as itself. */
  private readonly escape = (j: number): [string, number] => {
    const escaped = this.text[j] ?? this.need();
    return [MYSQL_ESCAPES[escaped] ?? escaped, j + 1];
  };

  protected value(i: number, table: string, rowNo: number, index: number): [RawCell, number] {
    const c = this.code(i);
    if (c === QUOTE || c === DQUOTE) return this.stringValue(i, table, rowNo, this.escape);
    if ((c === 0x78 || c === 0x58) && this.code(i + 1) === QUOTE) return this.hexLiteral(i + 1, table, rowNo);
    if ((c === 0x62 || c === 0x42) && this.code(i + 1) === QUOTE) {
      const [bits, end] = this.quotedBytes(i + 1, table, rowNo, this.escape);
      if (!/^[01]*$/.test(bits)) throw this.error('bad bit literal', i, table, rowNo);
      return [bits === '' ? 0 : sqlNumber(BigInt(`0b${bits}`).toString()), end];
    }
    if (c === 0x30 && (this.code(i + 1) | 0x20) === 0x78) {
      const [word, end] = this.word(i);
      if (!/^0[xX][0-9a-fA-F]+$/.test(word)) throw this.error('bad hex literal', i, table, rowNo);
      return [`0x${word.slice(2).toUpperCase()}`, end];
    }
    if (DumpParser.startsNumber(c)) return this.numberAt(i, table, rowNo);
    if (c === 0x5f) return this.introduced(i, table, rowNo);
    return this.keywordValue(i, table, rowNo, index);
  }

  /** _binary '…' / _utf8mb4 '…' / _binary 0x…: a charset introducer before a literal. */
  private introduced(i: number, table: string, rowNo: number): [RawCell, number] {
    const [charset, afterWord] = this.word(i);
    const j = this.skipSpace(afterWord);
    const binary = charset.toLowerCase() === '_binary';
    const c = this.code(j);
    if ((c === QUOTE || c === DQUOTE) && binary) {
      const [raw, end] = this.quotedBytes(j, table, rowNo, this.escape);
      return [DumpParser.hexOf(raw), end];
    }
    if (c === QUOTE || c === DQUOTE) return this.stringValue(j, table, rowNo, this.escape);
    const [value, end] = this.value(j, table, rowNo, 0);
    if (typeof value === 'string' && value.startsWith('0x')) return [value, end];
    throw this.error(`${charset} must be followed by a string or hex literal`, j, table, rowNo);
  }

  private hexLiteral(quoteAt: number, table: string, rowNo: number): [RawCell, number] {
    const [digits, end] = this.quotedBytes(quoteAt, table, rowNo);
    if (!/^[0-9a-fA-F]*$/.test(digits) || digits.length % 2 !== 0) throw this.error('bad hex literal', quoteAt, table, rowNo);
    return [`0x${digits.toUpperCase()}`, end];
  }
}

/** SET NAMES gbk / SET character_set_client = utf8 near the top of the dump. */
export function mysqlDeclaredCharset(head: string): string | undefined {
  const match = /SET\s+(?:NAMES\s+|character_set_client\s*=\s*)['"`]?([A-Za-z0-9_]+)/i.exec(head);
  const name = match?.[1]?.toLowerCase();
  // latin1 / binary labels say nothing reliable about the bytes of legacy Chinese dumps
  return name && !['latin1', 'binary', 'ascii'].includes(name) ? name : undefined;
}

export function openMysqlDump(options: ExtractOptions): Promise<DumpSource> {
  return openDump(options, mysqlDeclaredCharset, (...args) => new MysqlDumpParser(...args));
}

/** Every tuple of every INSERT, as raw rows. */
export async function* parseMysqlDump(options: ExtractOptions): AsyncGenerator<RawRow> {
  yield* (await openMysqlDump(options)).rows();
}

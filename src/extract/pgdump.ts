/**
 * pg_dump plain-format files, tokenized and never executed. Rows come from `COPY t (cols) FROM
 * stdin;` blocks (text format: tab-separated, \N for NULL, backslash escapes, ended by `\.`) and
 * from INSERT … VALUES statements (pg_dump --inserts / --rows-per-insert); CREATE TABLE gives
 * column names; everything else (functions in dollar quotes, SET, ALTER, …) is skipped.
 *
 * COPY fields are text (COPY carries no types); INSERT values follow the SQL literal: standard
 * '' strings (backslash is a plain character), E'' strings with escapes, NULL, numbers (sqlNumber),
 * true/false; a `::type` cast after a literal is dropped. stream = the table name as written,
 * schema-qualified and unquoted (`public.t`); rowNo = the row's ordinal within the table.
 */
import * as iconv from 'iconv-lite';
import { BACKSLASH, COMMA, DQUOTE, DumpParser, type DumpSource, LPAREN, NEED_MORE, QUOTE, RPAREN, isSpace, openDump } from './dump-reader';
import { LineRow } from './line-row';
import { type ExtractOptions, type RawCell, type RawRow } from './types';

const TAB = 0x09;
const SEMICOLON = 0x3b;

/** Single-letter backslash escapes of COPY text format and of E'' strings. */
const C_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

const NOT_COLUMNS = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN', 'EXCLUDE', 'LIKE']);


// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const CONTROL_BUT_TAB = /[\x00-\x08\x0a-\x1f]/;

function tabsIn(line: string): number {
  let n = 0;
  for (let t = line.indexOf('\t'); t >= 0; t = line.indexOf('\t', t + 1)) n++;
  return n;
}

interface CopyState {
  readonly table: string;
  readonly listed: string[] | undefined;
  /** the block lists the table's columns in their order (or none): its lines need no re-ordering */
  inOrder?: boolean;
}


class PgDumpParser extends DumpParser {
  private copy: CopyState | undefined;
  protected readonly identifierQuote = DQUOTE;

  protected override parseUnit(out: RawRow[]): void {
    if (this.copy) this.parseCopyLine(this.copy, out);
    else super.parseUnit(out);
  }

  protected parseStatement(word: string, afterWord: number, start: number): void {
    switch (word) {
      case 'COPY':
        this.parseCopyHead(start, afterWord);
        break;
      case 'INSERT':
        this.parseInsertHead(afterWord);
        break;
      case 'CREATE':
        this.parseCreate(afterWord);
        break;
      default:
        this.pos = this.skipStatement(start);
    }
  }

  protected override finish(): void {
    if (this.copy) throw this.error('COPY block not ended by \\.', this.pos, this.copy.table, this.nextRowNo(this.copy.table));
  }

  /** White space, `--` comments and nested /* … *\/ comments. */
  protected skipSpace(i: number): number {
    const { text } = this;
    for (;;) {
      if (i >= text.length) return i;
      const c = text.charCodeAt(i);
      if (isSpace(c)) i++;
      else if (c === 0x2d && this.code(i + 1) === 0x2d) i = this.lineEnd(i);
      else if (c === 0x2f && this.code(i + 1) === 0x2a) i = this.blockCommentEnd(i);
      else return i;
    }
  }

  private blockCommentEnd(i: number): number {
    let depth = 0;
    for (;;) {
      const c = this.code(i);
      if (c === 0x2f && this.code(i + 1) === 0x2a) {
        depth++;
        i += 2;
      } else if (c === 0x2a && this.code(i + 1) === 0x2f) {
        i += 2;
        if (--depth === 0) return i;
      } else {
        i++;
      }
    }
  }

  /** After the `;` that ends the statement at i, outside quotes, dollar quotes and comments. */
  protected skipStatement(i: number): number {
    const { text } = this;
    for (;;) {
      if (i >= text.length) {
        if (this.eof) return i;
        throw NEED_MORE;
      }
      const c = text.charCodeAt(i);
      if (c === SEMICOLON) return i + 1;
      if (c === QUOTE || c === DQUOTE) i = this.skipQuoted(i, c === QUOTE && this.isEString(i));
      else if (c === 0x24) i = this.skipDollarQuoted(i);
      else if (c === 0x2d || c === 0x2f) i = Math.max(this.skipSpace(i), i + 1);
      else if (this.multibyte && c >= 0x81) i = this.skipMultibyte(i);
      else i++;
    }
  }

  /** An E'' string: the quote follows an E that is not the end of a longer word. */
  private isEString(i: number): boolean {
    const e = this.text.charCodeAt(i - 1) | 0x20;
    const before = i >= 2 ? this.text[i - 2]! : ' ';
    return e === 0x65 && !/[A-Za-z0-9_$]/.test(before);
  }

  private skipQuoted(i: number, backslashEscapes: boolean): number {
    const q = this.text.charCodeAt(i);
    for (let j = i + 1; ; ) {
      const c = this.code(j);
      if (c === q) {
        if (this.code(j + 1) !== q) return j + 1;
        j += 2;
      } else if (c === BACKSLASH && backslashEscapes) j += 2;
      else if (this.multibyte && c >= 0x81) j = this.skipMultibyte(j);
      else j++;
    }
  }

  /** $tag$ … $tag$ (function bodies); a lone $ (e.g. $1) is just a character. */
  private skipDollarQuoted(i: number): number {
    const tagEnd = this.text.indexOf('$', i + 1);
    if (tagEnd < 0) {
      if (this.eof) return i + 1;
      throw NEED_MORE;
    }
    const tag = this.text.slice(i, tagEnd + 1);
    if (!/^\$[A-Za-z_\x80-\xff]?[A-Za-z0-9_\x80-\xff]*\$$/.test(tag)) return i + 1;
    const close = this.text.indexOf(tag, tagEnd + 1);
    if (close < 0) throw NEED_MORE;
    return close + tag.length;
  }

  /** "Quoted" ("" doubles) or bare identifiers, joined with dots: public."My Table" → public.My Table */
  protected identifier(i: number): [string, number] {
    const parts: string[] = [];
    for (;;) {
      let part: string;
      if (this.code(i) === DQUOTE) {
        const end = this.skipQuoted(i, false);
        part = this.text.slice(i + 1, end - 1).replace(/""/g, '"');
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


  private tableAndColumns(i: number): [string, string[] | undefined, number] {
    const [table, afterTable] = this.identifier(this.skipSpace(i));
    let j = this.skipSpace(afterTable);
    let listed: string[] | undefined;
    if (this.code(j) === LPAREN) [listed, j] = this.columnList(j);
    return [table, listed, j];
  }

  private parseCopyHead(start: number, i: number): void {
    const [table, listed, j] = this.tableAndColumns(i);
    const [from, afterFrom] = this.keyword(j);
    const [stdin, afterStdin] = this.keyword(afterFrom);
    if (from !== 'FROM' || stdin !== 'STDIN') {
      this.pos = this.skipStatement(start); // COPY … TO, or from a server file: no data here
      return;
    }
    const end = this.skipSpace(afterStdin);
    if (this.code(end) !== SEMICOLON) {
      throw this.error('only text-format COPY … FROM stdin; is supported (found options)', end, table);
    }
    const dataStart = this.lineEnd(end + 1); // before any state changes: it may need more text
    this.noteStream(table, listed);
    this.copy = { table, listed };
    this.pos = dataStart;
  }

  /** One line of a COPY block: tab-separated fields, or `\.` which ends the block. */
  private parseCopyLine(copy: CopyState, out: RawRow[]): void {
    const { text, pos } = this;
    const { table } = copy;
    const rowNo = this.nextRowNo(table);
    let end = text.indexOf('\n', pos);
    if (end < 0) {
      if (!this.eof) throw NEED_MORE;
      throw this.error('COPY block not ended by \\.', pos, table, rowNo);
    }
    const next = end + 1;
    if (end > pos && text.charCodeAt(end - 1) === 0x0d) end -= 1; // CRLF line ends
    if (end - pos === 2 && text.startsWith('\\.', pos)) {
      this.copy = undefined;
      this.pos = next;
      return;
    }
    if (this.backslashAfter(pos) >= end && this.plainCopyLine(copy, pos, end, rowNo, out)) {
      this.pos = next;
      this.takeRowNo(table);
      return;
    }
    const cells: RawCell[] = [];
    let field = '';
    let segment = pos;
    let fieldStart = pos;
    let escaped = false;
    const finishField = (at: number): void => {
      const raw = field + text.slice(segment, at);
      // \N alone (as written, not as an escape result) is NULL
      cells.push(!escaped || at - fieldStart !== 2 || text.slice(fieldStart, at) !== '\\N' ? this.checked(this.decode(raw, fieldStart, table, rowNo), table, rowNo) : null);
      this.guard.checkCellCount(cells.length, table, rowNo);
    };
    for (let j = pos; ; ) {
      if (j >= end) {
        finishField(end);
        break;
      }
      const c = text.charCodeAt(j);
      if (c === TAB) {
        finishField(j);
        field = '';
        j += 1;
        segment = fieldStart = j;
        escaped = false;
      } else if (c === BACKSLASH) {
        const [value, after] = this.backslashEscape(j + 1, end);
        field += text.slice(segment, j) + value;
        escaped = true;
        j = segment = after;
      } else if (this.multibyte && c >= 0x81) {
        j = this.skipMultibyte(j);
      } else {
        j += 1;
      }
    }
    this.checkWidth(table, copy.listed, cells.length, rowNo, pos);
    this.pos = next;
    this.takeRowNo(table);
    if (!this.scanOnly) out.push({ stream: table, rowNo, cells: this.align(table, copy.listed, cells) });
  }

  /**
   * A COPY line without a backslash (so without escapes and without \N): its fields are the
   * decoded line split on tabs — read at speed from the stretch known to be valid UTF-8, and
   * carried as the line itself (RawRow.line, delimiter tab) when nothing else in it needs escaping.
   * False, with nothing done, where the general reader must look.
   */
  private plainCopyLine(copy: CopyState, pos: number, end: number, rowNo: number, out: RawRow[]): boolean {
    const line = this.validUtf8Text(pos, end);
    if (line === undefined) return false;
    const { table } = copy;
    copy.inOrder ??= this.inTableOrder(table, copy.listed);
    this.checkWidth(table, copy.listed, tabsIn(line) + 1, rowNo, pos);
    if (copy.inOrder && !CONTROL_BUT_TAB.test(line)) {
      // cells split only if someone asks; limits are checked on the line (LimitGuard.checkRow)
      if (!this.scanOnly) out.push(new LineRow(table, rowNo, line, '\t'));
      return true;
    }
    const cells = line.split('\t');
    this.guard.checkCellCount(cells.length, table, rowNo);
    if (line.length > this.guard.limits.maxCellChars) for (const cell of cells) this.checked(cell, table, rowNo);
    if (this.scanOnly) return true;
    const aligned = this.align(table, copy.listed, cells);
    out.push({ stream: table, rowNo, cells: aligned });
    return true;
  }

  /**
   * The bytes a backslash escape stands for (starting after the backslash) and where it ends:
   * \b \f \n \r \t \v, \ooo octal, \xHH hex, else the character itself (\N is NULL only as a whole field).
   */
  private backslashEscape(j: number, end: number): [string, number] {
    const c = this.text[j];
    if (c === undefined || j >= end) return ['\\', j];
    const simple = C_ESCAPES[c];
    if (simple) return [simple, j + 1];
    if (c >= '0' && c <= '7') {
      const digits = /^[0-7]{1,3}/.exec(this.text.slice(j, Math.min(j + 3, end)))![0];
      return [String.fromCharCode(parseInt(digits, 8) & 0xff), j + digits.length];
    }
    if (c === 'x') {
      const digits = /^[0-9a-fA-F]{1,2}/.exec(this.text.slice(j + 1, Math.min(j + 3, end)));
      if (digits) return [String.fromCharCode(parseInt(digits[0], 16)), j + 1 + digits[0].length];
    }
    return [c, j + 1];
  }

  private parseInsertHead(i: number): void {
    const [into, afterInto] = this.keyword(i);
    if (into !== 'INTO') throw this.error('INSERT INTO expected', i);
    const [table, listed, j] = this.tableAndColumns(afterInto);
    let [word, after] = this.keyword(j);
    if (word === 'OVERRIDING') [word, after] = this.keyword(this.keyword(this.keyword(after)[1])[1]); // SYSTEM|USER VALUE
    if (word !== 'VALUES') throw this.error(`INSERT into ${table} without VALUES (${word || 'nothing'}) is not supported`, j, table);
    this.noteStream(table, listed);
    this.insert = { table, listed };
    this.pos = after;
  }

  private parseCreate(i: number): void {
    let [word, after] = this.keyword(i);
    while (['TEMP', 'TEMPORARY', 'UNLOGGED', 'GLOBAL', 'LOCAL'].includes(word)) [word, after] = this.keyword(after);
    if (word !== 'TABLE') {
      this.pos = this.skipStatement(i);
      return;
    }
    let j = this.skipSpace(after);
    if (this.keyword(j)[0] === 'IF') j = this.skipSpace(this.keyword(this.keyword(this.keyword(j)[1])[1])[1]);
    const [table, afterTable] = this.identifier(j);
    j = this.skipSpace(afterTable);
    const columns: string[] = [];
    if (this.code(j) === LPAREN) j = this.columnDefinitions(j, columns, NOT_COLUMNS);
    this.pos = this.skipStatement(j);
    this.noteStream(table, columns);
  }



  /** ::type, ::character varying(20), ::numeric[] — up to the next top-level , or ). */
  private skipCast(i: number): number {
    let depth = 0;
    for (i += 2; ; i++) {
      const c = this.code(i);
      if (c === LPAREN) depth++;
      else if (c === RPAREN && depth-- === 0) return i;
      else if (c === COMMA && depth === 0) return i;
      else if (c === DQUOTE) i = this.skipQuoted(i, false) - 1;
    }
  }

  protected skipQuotedAt(i: number): number {
    return this.skipQuoted(i, false);
  }

  protected statementEnd(i: number): number | undefined {
    return this.code(i) === SEMICOLON ? i + 1 : undefined;
  }

  protected override afterValue(i: number): number {
    return this.code(i) === 0x3a && this.code(i + 1) === 0x3a ? this.skipSpace(this.skipCast(i)) : i;
  }

  protected value(i: number, table: string, rowNo: number, index: number): [RawCell, number] {
    const c = this.code(i);
    if (c === QUOTE) return this.stringValue(i, table, rowNo); // standard strings: \ is a plain character
    if ((c | 0x20) === 0x65 && this.code(i + 1) === QUOTE) return this.stringValue(i + 1, table, rowNo, this.eStringEscape);
    if (DumpParser.startsNumber(c)) return this.numberAt(i, table, rowNo);
    return this.keywordValue(i, table, rowNo, index);
  }

  /** After a backslash in an E'' string: \uXXXX, \UXXXXXXXX, or what COPY's escapes mean. */
  private readonly eStringEscape = (j: number): [string, number] => {
    const c = this.code(j);
    if (c === 0x75 || c === 0x55) {
      const width = c === 0x75 ? 4 : 8;
      this.code(j + width);
      const hex = this.text.slice(j + 1, j + 1 + width);
      if (!/^[0-9a-fA-F]+$/.test(hex)) throw this.error('bad unicode escape', j);
      const char = String.fromCodePoint(parseInt(hex, 16));
      // the result must be bytes of the dump's encoding, like the characters around it
      const bytes = this.encoding.encoding === 'utf-8' ? Buffer.from(char, 'utf8') : iconv.encode(char, this.encoding.encoding);
      return [bytes.toString('latin1'), j + 1 + width];
    }
    this.code(j + 3); // octal and hex escapes run up to three characters
    return this.backslashEscape(j, this.text.length);
  };
}

/** SET client_encoding = 'GBK' near the top of the dump. */
export function pgDeclaredEncoding(head: string): string | undefined {
  const name = /SET\s+client_encoding\s*=\s*'([^']+)'/i.exec(head)?.[1];
  return name && name.toUpperCase() !== 'SQL_ASCII' ? name : undefined;
}

export function openPgDump(options: ExtractOptions): Promise<DumpSource> {
  return openDump(options, pgDeclaredEncoding, (...args) => new PgDumpParser(...args));
}

/** Every COPY line and INSERT tuple, as raw rows. */
export async function* parsePgDump(options: ExtractOptions): AsyncGenerator<RawRow> {
  yield* (await openPgDump(options)).rows();
}

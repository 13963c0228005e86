/**
 * The .xlsx reader, for every size: zip entries are inflated chunk by chunk (zip.ts, which checks
 * them against their headers and the zip limits) and sheet XML goes through a SAX parser, so memory
 * holds the shared-string table plus one chunk of rows, and the guard's limits and clock are looked
 * at between chunks — nothing runs unchecked, however small the file. (SheetJS, which holds the
 * whole workbook at about 4 KB per row and cannot be interrupted, reads only .xls, spreadsheet.ts.)
 *
 * Every physical row, numbered by the sheet's own row numbers, with missing rows as empty rows;
 * cells from column A to the row's last non-empty cell; numbers as numbers, text as text, formulas
 * as their cached values. A row number beyond Excel's 1,048,576 is an error naming the sheet;
 * a run of missing rows travels as one gap and becomes empty rows a batch at a time, only when a
 * row with content follows it (rows.ts holds trailing blanks as a count).
 */
import { posix } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { type LimitGuard } from './limits';
import { EXCEL_MAX_ROWS, ExtractError, type RawCell, type RawRow } from './types';
import { ZipArchive } from './zip';

export interface WorkbookSheet {
  readonly name: string;
  /** zip entry of the sheet part; undefined for a sheet whose part is missing (yields no rows) */
  readonly part?: string;
}

/** A run of physical rows absent from the sheet XML (nothing stored there): yielded as empty rows. */
interface RowGap {
  readonly from: number;
  readonly to: number;
}

/** Empty rows of a run handed on per batch, so a long run never is one huge array. */
const GAP_BATCH_ROWS = 8_192;

export class StreamingXlsx {
  private sharedStrings: string[] | undefined;

  private constructor(
    private readonly archive: ZipArchive,
    private readonly guard: LimitGuard,
    readonly sheets: WorkbookSheet[],
    readonly date1904: boolean,
    private readonly sharedStringsPart: string | undefined,
  ) {}

  static async open(file: string, guard: LimitGuard): Promise<StreamingXlsx> {
    const archive = await ZipArchive.open(file);
    try {
      const rootRels = await readRelationships(archive, guard, '_rels/.rels');
      const workbookPart =
        rootRels.find((rel) => rel.type.endsWith('/officeDocument'))?.target ?? archive.find('xl/workbook.xml');
      if (!workbookPart || !archive.find(workbookPart)) {
        throw new ExtractError('no workbook part in this zip — not an .xlsx file', file, undefined, undefined, undefined, 'extract.xlsx_invalid');
      }
      const relsPart = posix.join(posix.dirname(workbookPart), '_rels', `${posix.basename(workbookPart)}.rels`);
      const rels = await readRelationships(archive, guard, relsPart, posix.dirname(workbookPart));
      const { sheets, date1904 } = await readWorkbook(archive, guard, archive.find(workbookPart)!, rels);
      const sharedStringsPart = rels.find((rel) => rel.type.endsWith('/sharedStrings'))?.target;
      return new StreamingXlsx(archive, guard, sheets, date1904, sharedStringsPart && archive.find(sharedStringsPart));
    } catch (err) {
      archive.close();
      throw err;
    }
  }

  /** The sheet's rows in batches, one per inflated chunk of sheet XML. */
  async *rows(sheet: WorkbookSheet): AsyncGenerator<RawRow[]> {
    if (!sheet.part) return;
    const strings = await this.loadSharedStrings();
    const batches = saxEntry<RawRow | RowGap>(this.archive, this.guard, sheet.part, sheet.name, (parser, out) =>
      attachSheetHandlers(parser, out, { stream: sheet.name, strings, guard: this.guard, file: this.archive.file, date1904: this.date1904 }),
    );
    // missing and empty rows are held as one run until a row with cells follows (then they are
    // physical blank rows between data); a run at the sheet's end is dropped, as rows.ts would
    let held: { from: number; to: number } | undefined;
    for await (const items of batches) {
      let rows: RawRow[] = [];
      for (const item of items) {
        const run = 'cells' in item ? (item.cells.length === 0 ? { from: item.rowNo, to: item.rowNo } : undefined) : item;
        if (run) {
          held = held ? { from: held.from, to: run.to } : run;
          continue;
        }
        for (let rowNo = held?.from ?? 1; held && rowNo <= held.to; rowNo++) {
          rows.push({ stream: sheet.name, rowNo, cells: [] });
          if (rows.length === GAP_BATCH_ROWS) {
            yield rows;
            rows = [];
          }
        }
        held = undefined;
        rows.push(item as RawRow);
      }
      if (rows.length > 0) yield rows;
    }
  }

  close(): void {
    this.archive.close();
  }

  private async loadSharedStrings(): Promise<string[]> {
    if (this.sharedStrings) return this.sharedStrings;
    const strings: string[] = [];
    if (this.sharedStringsPart) {
      const items = saxEntry<string>(this.archive, this.guard, this.sharedStringsPart, '', attachSharedStringHandlers);
      for await (const batch of items) for (const text of batch) strings.push(text);
    }
    this.sharedStrings = strings;
    return strings;
  }
}

/** Tag name without a namespace prefix (`x:row` → `row`): some writers prefix SpreadsheetML. */
function local(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** Attribute by local name, whatever its prefix (`r:id`, `relationships:id`). */
function attr(tag: SaxesTagPlain, name: string): string | undefined {
  const direct = tag.attributes[name];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(tag.attributes)) if (local(key) === name) return value;
  return undefined;
}

/**
 * Feeds one zip entry through a SAX parser; handlers push finished items into `out`, which is
 * drained after every chunk — the only buffering is one chunk's worth of items.
 */
async function* saxEntry<T>(
  archive: ZipArchive,
  guard: LimitGuard,
  part: string,
  stream: string,
  attach: (parser: SaxesParser, out: T[]) => void,
): AsyncGenerator<T[]> {
  const parser = new SaxesParser({ xmlns: false });
  const out: T[] = [];
  attach(parser, out);
  const decoder = new StringDecoder('utf8');
  let first = true;
  try {
    for await (const buf of archive.read(part, guard)) {
      guard.addBytes(buf.length, stream || undefined);
      let text = decoder.write(buf);
      if (first && text) {
        text = text.replace(/^\uFEFF/, '');
        first = false;
      }
      parser.write(text);
      if (out.length > 0) yield out.splice(0);
    }
    parser.write(decoder.end());
    parser.close();
    if (out.length > 0) yield out.splice(0);
  } catch (err) {
    if (err instanceof ExtractError) throw err;
    throw new ExtractError(`malformed XML in ${part}: ${(err as Error).message}`, archive.file, stream || undefined, undefined, undefined, 'extract.xlsx_invalid');
  }
}

interface Relationship {
  readonly type: string;
  readonly target: string;
  readonly id: string;
}

async function readRelationships(archive: ZipArchive, guard: LimitGuard, part: string, baseDir = ''): Promise<Relationship[]> {
  const found = archive.find(part);
  if (!found) return [];
  const rels: Relationship[] = [];
  const items = saxEntry<Relationship>(archive, guard, found, '', (parser, out) => {
    parser.on('opentag', (tag) => {
      if (local(tag.name) !== 'Relationship') return;
      const target = attr(tag, 'Target') ?? '';
      out.push({
        id: attr(tag, 'Id') ?? '',
        type: attr(tag, 'Type') ?? '',
        // targets are relative to the part's folder, or absolute from the package root
        target: target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(baseDir, target)),
      });
    });
  });
  for await (const batch of items) rels.push(...batch);
  return rels;
}

async function readWorkbook(
  archive: ZipArchive,
  guard: LimitGuard,
  part: string,
  rels: Relationship[],
): Promise<{ sheets: WorkbookSheet[]; date1904: boolean }> {
  const sheets: WorkbookSheet[] = [];
  let date1904 = false;
  const items = saxEntry<WorkbookSheet>(archive, guard, part, '', (parser, out) => {
    parser.on('opentag', (tag) => {
      const name = local(tag.name);
      if (name === 'workbookPr') {
        const value = attr(tag, 'date1904');
        date1904 = value === '1' || value === 'true';
      } else if (name === 'sheet') {
        const rel = rels.find((r) => r.id === attr(tag, 'id'));
        const partName = rel && archive.find(rel.target);
        out.push({ name: attr(tag, 'name') ?? '', ...(partName ? { part: partName } : {}) });
      }
    });
  });
  for await (const batch of items) sheets.push(...batch);
  return { sheets, date1904 };
}

/** OOXML escapes control characters in text as _xHHHH_ (SheetJS unescapes them the same way). */
export function unescapeOoxml(text: string): string {
  return text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

function attachSharedStringHandlers(parser: SaxesParser, out: string[]): void {
  let text = '';
  let inT = false;
  let inPhonetic = false; // <rPh>: furigana-style readings, not part of the cell text
  parser.on('opentag', (tag) => {
    const name = local(tag.name);
    if (name === 'si') text = '';
    else if (name === 't' && !inPhonetic) inT = true;
    else if (name === 'rPh') inPhonetic = true;
  });
  const onText = (t: string): void => {
    if (inT) text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    const name = local(tag.name);
    if (name === 't') inT = false;
    else if (name === 'rPh') inPhonetic = false;
    else if (name === 'si') out.push(unescapeOoxml(text));
  });
}

/** Zero-based column index of a cell reference (`AB12` → 27). */
export function columnIndex(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i) & ~0x20; // upper-case
    if (code < 65 || code > 90) break;
    col = col * 26 + (code - 64);
  }
  return col - 1;
}

interface SheetContext {
  readonly date1904: boolean;
  readonly stream: string;
  readonly strings: string[];
  readonly guard: LimitGuard;
  readonly file: string;
}

function attachSheetHandlers(parser: SaxesParser, out: (RawRow | RowGap)[], ctx: SheetContext): void {
  let rowNo = 0;
  let cells: RawCell[] = [];
  let col = -1;
  let type = 'n';
  let value: string | undefined;
  let inline = '';
  let inValue = false;
  let inInline = false;
  let inPhonetic = false;

  const fail = (message: string): never => {
    throw new ExtractError(message, ctx.file, ctx.stream, rowNo, undefined, 'extract.xlsx_invalid');
  };

  parser.on('opentag', (tag) => {
    switch (local(tag.name)) {
      case 'row': {
        const r = attr(tag, 'r');
        const next = r ? Number(r) : rowNo + 1;
        if (!Number.isInteger(next) || next <= rowNo) fail(`row number ${r} out of order`);
        // before any gap is recorded: <row r="4294967295"> must not become four billion rows
        if (next > EXCEL_MAX_ROWS) fail(`sheet ${ctx.stream} exceeds ${EXCEL_MAX_ROWS.toLocaleString('en-US')} rows (Excel's limit): row number ${r}`);
        if (next > rowNo + 1) out.push({ from: rowNo + 1, to: next - 1 });
        rowNo = next;
        cells = [];
        col = -1;
        break;
      }
      case 'c': {
        const r = attr(tag, 'r');
        col = r ? columnIndex(r) : col + 1;
        if (col < 0) fail(`bad cell reference ${r}`);
        ctx.guard.checkCellCount(col + 1, ctx.stream, rowNo);
        type = attr(tag, 't') ?? 'n';
        value = undefined;
        inline = '';
        break;
      }
      case 'v':
        inValue = true;
        value = '';
        break;
      case 'is':
        inInline = true;
        break;
      case 'rPh':
        inPhonetic = true;
        break;
    }
  });
  const onText = (text: string): void => {
    if (inValue) {
      value += text;
    } else if (inInline && !inPhonetic) {
      inline += text;
    } else {
      return;
    }
    if ((value?.length ?? 0) + inline.length > ctx.guard.limits.maxCellChars) {
      ctx.guard.checkCellChars((value?.length ?? 0) + inline.length, ctx.stream, rowNo);
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    switch (local(tag.name)) {
      case 'v':
        inValue = false;
        break;
      case 'is':
        inInline = false;
        break;
      case 'rPh':
        inPhonetic = false;
        break;
      case 'c': {
        const cell = cellValue(type, value, inline, ctx, fail);
        if (cell !== null) cells[col] = cell;
        break;
      }
      case 'row':
        out.push({ stream: ctx.stream, rowNo, cells: Array.from(cells, (c) => c ?? null) });
        break;
    }
  });
}

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * A t="d" cell (ISO 8601 text, written by some tools) as the Excel serial SheetJS gives for it, so
 * both readers agree: date cells are serials in the workbook's date system. Wall-clock time: an
 * ISO value without a zone is read as UTC, not in the worker's zone. Unparseable text stays text.
 */
export function isoDateSerial(iso: string, date1904: boolean): number | string {
  const match = /^(\d{4}-\d\d-\d\d)(T\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(Z|[+-]\d\d:?\d\d)?$/.exec(iso);
  const ms = match ? Date.parse(`${match[1]}${match[2] ?? 'T00:00:00'}${match[3] ?? 'Z'}`) : NaN;
  if (Number.isNaN(ms)) return iso;
  return (ms - (date1904 ? EPOCH_1904 : EPOCH_1900)) / DAY_MS;
}

/** Excel's t attribute: s shared string, str formula text, inlineStr, b boolean, e error, d ISO date, n number. */
function cellValue(type: string, value: string | undefined, inline: string, ctx: SheetContext, fail: (m: string) => never): RawCell {
  switch (type) {
    case 'inlineStr':
      return inline === '' && value === undefined ? null : unescapeOoxml(inline || (value ?? ''));
    case 's': {
      if (value === undefined || value === '') return null;
      const text = ctx.strings[Number(value)];
      return text ?? fail(`shared string ${value} missing`);
    }
    case 'str':
      return value === undefined ? null : unescapeOoxml(value);
    case 'b':
      return value === undefined || value === '' ? null : value === '1' || value === 'true';
    case 'e':
      return value === undefined || value === '' ? null : value;
    case 'd':
      return value === undefined || value === '' ? null : isoDateSerial(value, ctx.date1904);
    default: {
      if (value === undefined || value === '') return null;
      const n = Number(value);
      return Number.isNaN(n) ? value : n;
    }
  }
}

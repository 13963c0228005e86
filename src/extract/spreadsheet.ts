/**
 * Spreadsheets: every sheet is a stream; every physical row is a row, numbered as Excel numbers it
 * (blank rows as empty rows, so numbers stay physical; nothing after the last non-blank row).
 * Cells are as found: numbers stay numbers (date cells stay Excel serials — read `date1904` to
 * know their epoch), text stays text, formulas give their cached value and are never evaluated.
 *
 * Every .xlsx, whatever its size, goes through the streaming reader (xlsx-stream.ts), where the
 * limits are checked chunk by chunk. Only what that reader cannot read — .xls (BIFF8 at most 65,536
 * rows a sheet, SpreadsheetML 2003, HTML tables) and .xlsb/.ods — goes through SheetJS, in a
 * worker thread with the time limit, a heap of its own and a row cap (sheetjs-worker.ts).
 */
import { checkFileSize, readHead } from './file-chunks';
import { LimitGuard } from './limits';
import { eachRow, finishRows } from './rows';
import { readWithSheetJs, type SheetJsCell } from './sheetjs-worker';
import { type ExtractOptions, type RawCell, type RawRow, type StreamInfo } from './types';
import { StreamingXlsx, type WorkbookSheet } from './xlsx-stream';

export type SpreadsheetOptions = ExtractOptions;

const SHEETJS_BATCH_ROWS = 1_000;

export interface SpreadsheetSource {
  readonly reader: 'sheetjs' | 'streaming';
  /** the workbook's date system: serials count from 1904-01-01 instead of 1899-12-30 */
  readonly date1904: boolean;
  readonly streams: StreamInfo[];
  batches(): AsyncGenerator<RawRow[]>;
  rows(): AsyncGenerator<RawRow>;
  close(): void;
}

/** Excel error codes as SheetJS reports them (BIFF numbering), shown as Excel shows them. */
const ERROR_TEXT: Record<number, string> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

export async function openSpreadsheet(options: SpreadsheetOptions): Promise<SpreadsheetSource> {
  const guard = new LimitGuard(options.file, options.limits);
  await checkFileSize(options.file, guard);
  // by content, not name: a renamed .xlsx streams too; .xlsb and .ods are zips SheetJS alone reads
  const zip = (await readHead(options.file, 4)).equals(Buffer.from('PK\x03\x04', 'latin1'));
  return zip && !/\.(xlsb|ods)$/i.test(options.file) ? openStreaming(options, guard) : openWithSheetJs(options, guard);
}

export async function* extractSpreadsheet(options: SpreadsheetOptions): AsyncGenerator<RawRow> {
  const source = await openSpreadsheet(options);
  try {
    yield* source.rows();
  } finally {
    source.close();
  }
}

/** Sheets before the resume point's sheet are not even parsed. */
function sheetsFrom<T extends { name: string }>(sheets: T[], options: ExtractOptions): T[] {
  const resume = options.resumeAfter;
  const at = resume ? sheets.findIndex((s) => s.name === resume.stream) : -1;
  return at > 0 ? sheets.slice(at) : sheets;
}

async function openStreaming(options: SpreadsheetOptions, guard: LimitGuard): Promise<SpreadsheetSource> {
  const book = await StreamingXlsx.open(options.file, guard);
  async function* all(sheets: WorkbookSheet[]): AsyncGenerator<RawRow[]> {
    for (const sheet of sheets) yield* book.rows(sheet);
  }
  return {
    reader: 'streaming',
    date1904: book.date1904,
    streams: book.sheets.map((s) => ({ name: s.name })),
    batches: () => finishRows(all(sheetsFrom(book.sheets, options)), guard, options.resumeAfter, { dropTrailingBlanks: true }),
    rows: () => eachRow(finishRows(all(sheetsFrom(book.sheets, options)), guard, options.resumeAfter, { dropTrailingBlanks: true })),
    close: () => book.close(),
  };
}

async function openWithSheetJs(options: SpreadsheetOptions, guard: LimitGuard): Promise<SpreadsheetSource> {
  const wb = await readWithSheetJs(options.file, guard);
  guard.checkTime();
  const sheets = wb.sheetNames.map((name) => ({ name }));
  async function* all(): AsyncGenerator<RawRow[]> {
    for (const { name } of sheetsFrom(sheets, options)) {
      const data = wb.sheets[name] ?? [];
      for (let start = 0; start < data.length; start += SHEETJS_BATCH_ROWS) {
        const batch: RawRow[] = [];
        for (let r = start; r < Math.min(data.length, start + SHEETJS_BATCH_ROWS); r++) {
          guard.checkCellCount(data[r]?.length ?? 0, name, r + 1);
          batch.push({ stream: name, rowNo: r + 1, cells: sheetJsCells(data[r]) });
        }
        yield batch;
      }
    }
  }
  return {
    reader: 'sheetjs',
    date1904: wb.date1904,
    streams: sheets,
    batches: () => finishRows(all(), guard, options.resumeAfter, { dropTrailingBlanks: true }),
    rows: () => eachRow(finishRows(all(), guard, options.resumeAfter, { dropTrailingBlanks: true })),
    close: () => undefined,
  };
}

function sheetJsCell(cell: SheetJsCell | undefined): RawCell {
  if (!cell || cell.v === undefined || cell.t === 'z') return null;
  if (cell.t === 'e') return ERROR_TEXT[cell.v as number] ?? String(cell.w ?? cell.v);
  if (cell.v instanceof Date) return cell.v.toISOString();
  return cell.v;
}

/** Column A to the last non-empty cell; holes become null. */
function sheetJsCells(row: SheetJsCell[] | undefined): RawCell[] {
  if (!row) return [];
  const cells: RawCell[] = [];
  let last = -1;
  for (let c = 0; c < row.length; c++) {
    const cell = sheetJsCell(row[c]);
    cells.push(cell);
    if (cell !== null) last = c;
  }
  cells.length = last + 1;
  return cells;
}

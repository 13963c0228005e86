/**
 * `tongchou inspect <file>`: what an integration engineer looks at before writing a mapping —
 * format, encoding, every sheet/table with its row count, the header row a mapping would most
 * likely bind (below merged titles and "单位：元" lines), and the first rows.
 */
import { openSource, type OpenSourceOptions, type SourceFormat } from './open-source';
import { isBlankCell } from './rows';
import { type RawCell, type RawRow } from './types';

export interface InspectedStream {
  readonly name: string;
  readonly rows: number;
  /** SQL column names, where the format carries them */
  readonly columns?: string[];
  /** spreadsheets and CSV: the row that looks like the header */
  readonly header?: RawRow;
  readonly firstRows: RawRow[];
}

export interface InspectReport {
  readonly file: string;
  readonly format: SourceFormat;
  readonly encoding?: string;
  readonly encodingSource?: string;
  readonly date1904?: boolean;
  readonly streams: InspectedStream[];
}

export interface InspectOptions extends Omit<OpenSourceOptions, 'file' | 'resumeAfter'> {
  /** rows shown per stream (default 10) */
  sampleRows?: number;
}

/** Rows looked at when searching for the header. */
const HEADER_SEARCH_ROWS = 30;

const NUMERIC_TEXT = /^[\s\u3000]*[-+]?[\d,，]*\.?\d+%?[\s\u3000]*$/;

function isLabel(cell: RawCell): boolean {
  return typeof cell === 'string' && !isBlankCell(cell) && !NUMERIC_TEXT.test(cell);
}

function filled(cells: readonly RawCell[]): RawCell[] {
  return cells.filter((c) => !isBlankCell(c));
}

/**
 * The header: the first row whose non-empty cells are mostly (≥ 80 %) text labels and that is at
 * least 60 % as wide as the widest row nearby — so a merged title (one cell), a "单位：元" line or a
 * "填报单位：… 日期：…" line above the table is passed over.
 */
export function findHeaderRow(rows: readonly RawRow[]): RawRow | undefined {
  const window = rows.slice(0, HEADER_SEARCH_ROWS);
  const widest = Math.max(0, ...window.map((r) => filled(r.cells).length));
  const minWidth = Math.max(2, Math.ceil(widest * 0.6));
  return window.find((row) => {
    const cells = filled(row.cells);
    return cells.length >= minWidth && cells.filter(isLabel).length >= 0.8 * cells.length;
  });
}

export async function inspectSource(file: string, options: InspectOptions = {}): Promise<InspectReport> {
  const sampleRows = options.sampleRows ?? 10;
  const source = await openSource({ ...options, file });
  const streams = await source.streams();
  const seen = new Map<string, { rows: number; head: RawRow[] }>(streams.map((s) => [s.name, { rows: 0, head: [] }]));
  const keep = Math.max(sampleRows, HEADER_SEARCH_ROWS);
  for await (const row of source.rows()) {
    let entry = seen.get(row.stream);
    if (!entry) seen.set(row.stream, (entry = { rows: 0, head: [] }));
    entry.rows += 1;
    // the locator and cells only: `line`/`json` are landing's shortcuts, not what the file says
    if (entry.head.length < keep) entry.head.push({ stream: row.stream, rowNo: row.rowNo, cells: row.cells });
  }
  const columnsOf = new Map(streams.map((s) => [s.name, s.columns]));
  const tabular = source.format === 'xlsx' || source.format === 'xls' || source.format === 'csv' || source.format === 'tsv';
  return {
    file,
    format: source.format,
    ...(source.encoding ? { encoding: source.encoding, encodingSource: source.encodingSource } : {}),
    ...(source.date1904 !== undefined ? { date1904: source.date1904 } : {}),
    streams: [...seen].map(([name, { rows, head }]) => {
      const columns = columnsOf.get(name);
      const header = tabular ? findHeaderRow(head) : undefined;
      return {
        name,
        rows,
        ...(columns ? { columns } : {}),
        ...(header ? { header } : {}),
        firstRows: head.slice(0, sampleRows),
      };
    }),
  };
}

/** Terminal columns a character takes: CJK and full-width forms take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      cp >= 0x20000;
    width += wide ? 2 : 1;
  }
  return width;
}

const MAX_CELL_WIDTH = 24;

function cellText(cell: RawCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  const text = String(cell).replace(/[\r\n\t]/g, ' ');
  if (displayWidth(text) <= MAX_CELL_WIDTH) return text;
  let out = '';
  for (const ch of text) {
    if (displayWidth(out + ch) > MAX_CELL_WIDTH - 1) break;
    out += ch;
  }
  return `${out}…`;
}

function padTo(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** A plain-text table: a row-number column, then the cells. */
export function renderTable(rows: readonly { label: string; cells: readonly RawCell[] }[]): string {
  const columnCount = Math.max(0, ...rows.map((r) => r.cells.length));
  const texts = rows.map((r) => [r.label, ...Array.from({ length: columnCount }, (_, i) => cellText(r.cells[i]))]);
  const widths = Array.from({ length: columnCount + 1 }, (_, c) => Math.max(...texts.map((t) => displayWidth(t[c]!))));
  return texts.map((t) => t.map((text, c) => padTo(text, widths[c]!)).join(' │ ').trimEnd()).join('\n');
}

export function renderInspectReport(report: InspectReport): string {
  const lines = [`file:     ${report.file}`, `format:   ${report.format}`];
  if (report.encoding) lines.push(`encoding: ${report.encoding} (${report.encodingSource})`);
  if (report.date1904 !== undefined) lines.push(`dates:    ${report.date1904 ? '1904' : '1900'} date system`);
  for (const stream of report.streams) {
    lines.push('', `── ${stream.name === '' ? '(file)' : stream.name}: ${stream.rows} rows`);
    if (stream.columns) lines.push(`columns:  ${stream.columns.join(', ')}`);
    if (stream.header) lines.push(`header:   row ${stream.header.rowNo}`);
    const shown = stream.header && !stream.firstRows.includes(stream.header) ? [...stream.firstRows, stream.header] : stream.firstRows;
    const table = shown.map((r) => ({ label: `${r.rowNo}${r === stream.header ? '*' : ''}`, cells: r.cells }));
    if (table.length > 0) lines.push(renderTable(table));
  }
  return `${lines.join('\n')}\n`;
}

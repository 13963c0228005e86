/**
 * Sheet protection with editable columns. SheetJS (community edition) writes `<sheetProtection>`
 * but no cell protection, and a protected sheet locks every cell by default; so after writing,
 * each cell style gets an unlocked twin in `xl/styles.xml`, and the cells and column defaults of
 * the editable columns are pointed at the twins. Key columns (reject id, revision, reasons,
 * locator) stay locked: a steward can fill in fixes but not retarget a row.
 */
import type * as XLSX from 'xlsx';
import { sheetJs } from '../sheetjs';

export interface EditableColumns {
  /** sheet name → 0-based indexes of the columns a steward may edit */
  [sheet: string]: readonly number[];
}

const colLetters = (i: number): string => sheetJs().utils.encode_col(i);

interface ZipEntry {
  content: Uint8Array | number[] | string;
}
interface Zip {
  FullPaths: string[];
  FileIndex: ZipEntry[];
}

const text = (e: ZipEntry) => Buffer.from(e.content as Uint8Array).toString('utf8');

function entry(zip: Zip, suffix: string): ZipEntry {
  const i = zip.FullPaths.findIndex((p) => p.endsWith(suffix));
  if (i < 0) throw new Error(`workbook has no ${suffix}`);
  return zip.FileIndex[i]!;
}

/** Adds unlocked twins of every cell style; returns the offset from a style to its twin and the
 * unlocked text-format style (column default of the editable columns). */
function unlockStyles(styles: string): { xml: string; offset: number; textStyle: number } {
  const m = /<cellXfs count="(\d+)">([\s\S]*?)<\/cellXfs>/.exec(styles);
  if (!m) throw new Error('styles.xml has no cellXfs');
  const xfs = m[2]!.match(/<xf\b[^>]*\/>/g) ?? [];
  const offset = xfs.length;
  const twins = xfs.map((xf) => xf.replace(/\/>$/, ' applyProtection="1"><protection locked="0"/></xf>'));
  let textStyle = xfs.findIndex((xf) => /numFmtId="49"/.test(xf));
  const extra: string[] = [];
  if (textStyle < 0) {
    // no text-format style yet: add one (and its twin is what the columns use)
    extra.push('<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyProtection="1"><protection locked="0"/></xf>');
    textStyle = offset * 2;
  } else textStyle += offset;
  const all = [...xfs, ...twins, ...extra];
  return { xml: styles.replace(m[0], `<cellXfs count="${all.length}">${all.join('')}</cellXfs>`), offset, textStyle };
}

function unlockSheet(sheet: string, editable: ReadonlySet<string>, editableIdx: readonly number[], offset: number, textStyle: number): string {
  const cells = sheet.replace(/<c r="([A-Z]+)(\d+)"((?: [a-z]+="[^"]*")*)(\/?)>/g, (all, col: string, row: string, attrs: string, close: string) => {
    if (!editable.has(col) || Number(row) < 2) return all;
    const s = /\ss="(\d+)"/.exec(attrs);
    const twin = (s ? Number(s[1]) : 0) + offset;
    const rest = attrs.replace(/\ss="\d+"/, '');
    return `<c r="${col}${row}" s="${twin}"${rest}${close}>`;
  });
  return cells.replace(/<col min="(\d+)" max="(\d+)"([^>]*?)\/>/g, (all, min: string, max: string, attrs: string) =>
    Number(min) === Number(max) && editableIdx.includes(Number(min) - 1) ? `<col min="${min}" max="${max}"${attrs} style="${textStyle}"/>` : all,
  );
}

/** Writes `wb` as xlsx with its sheets protected except the given columns. Every sheet named in
 * `editable` needs `!cols` set for each of its columns. */
export function writeProtectedWorkbook(wb: XLSX.WorkBook, editable: EditableColumns): Buffer {
  for (const name of wb.SheetNames) wb.Sheets[name]!['!protect'] = { formatColumns: false, formatRows: false, autoFilter: false, sort: false };
  // SheetJS types its zip container (CFB) as any; Zip names the two members used here
  const zip = sheetJs().CFB.read(sheetJs().write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer, { type: 'buffer' }) as Zip;
  const stylesEntry = entry(zip, 'xl/styles.xml');
  const { xml, offset, textStyle } = unlockStyles(text(stylesEntry));
  stylesEntry.content = Buffer.from(xml, 'utf8');
  wb.SheetNames.forEach((name, i) => {
    const cols = editable[name];
    if (!cols?.length) return;
    const e = entry(zip, `xl/worksheets/sheet${i + 1}.xml`);
    e.content = Buffer.from(unlockSheet(text(e), new Set(cols.map(colLetters)), cols, offset, textStyle), 'utf8');
  });
  return Buffer.from(sheetJs().CFB.write(zip, { fileType: 'zip', type: 'buffer', compression: true }) as Uint8Array);
}

/**
 * Workbooks for the finance bureau (SheetJS): one sheet per fund table. Amounts are text (exact
 * yuan from fen), counts and years are numbers; every text cell is neutralised against formula
 * injection — a cell starting with = + - @ (a negative amount too) gets a leading apostrophe.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as XLSX from 'xlsx';
import { sheetJs } from '../sheetjs';
import type { Cell, FundTable } from './tables';

const FORMULA_START = /^[=+\-@]/;

export const neutraliseText = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

function sheetOf(t: FundTable): XLSX.WorkSheet {
  const aoa: Cell[][] = [t.headers, ...t.rows].map((row) => row.map((c) => (typeof c === 'string' ? neutraliseText(c) : c)));
  const sheet = sheetJs().utils.aoa_to_sheet(aoa);
  // wide enough for the header or the longest value (CJK characters count two)
  sheet['!cols'] = t.headers.map((h, i) => ({
    wch: Math.min(40, Math.max(...[h, ...t.rows.map((r) => String(r[i] ?? ''))].map((s) => [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0))) + 2),
  }));
  return sheet;
}

export function fundWorkbook(tables: readonly FundTable[]): XLSX.WorkBook {
  const book = sheetJs().utils.book_new();
  for (const t of tables) sheetJs().utils.book_append_sheet(book, sheetOf(t), t.title);
  return book;
}

/** Writes the workbook under a temporary name and renames it, so nobody opens half a file. */
export function writeFundWorkbook(file: string, tables: readonly FundTable[]): string {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, sheetJs().write(fundWorkbook(tables), { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
  fs.renameSync(tmp, target);
  return target;
}

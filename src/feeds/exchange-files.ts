/**
 * Exchange files (CSV or XLSX in an agreed directory), for agencies without an API. Outbound: one
 * file per delivery batch, written under a temporary name and renamed, so the agency never picks
 * up half a file; every text cell neutralised against formula injection. Inbound: a file's first
 * non-empty row names the fields, every further row is a record.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sheetJs } from '../sheetjs';
import { openSource } from '../extract/open-source';
import type { RawCell } from '../extract/types';

export type ExchangeFormat = 'csv' | 'xlsx';

/** A cell a spreadsheet would read as a formula (= + - @) is prefixed with an apostrophe. */
export function neutraliseCell(value: string): string {
  return /^[=+\-@]/.test(value) ? `'${value}` : value;
}

const cellText = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Rows of text: the header (the union of the records' fields, in first-seen order) and one row per record. */
export function exchangeTable(records: readonly Record<string, unknown>[]): string[][] {
  const columns: string[] = [];
  for (const r of records) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  return [columns, ...records.map((r) => columns.map((c) => neutraliseCell(cellText(r[c]))))];
}

const csvField = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One CSV record (RFC 4180 quoting), ending in CRLF. */
export const csvLine = (fields: readonly string[]): string => fields.map(csvField).join(',') + '\r\n';

/** Writes the records as one exchange file; returns its path. Same records, same bytes. */
export function writeExchangeFile(dir: string, baseName: string, format: ExchangeFormat, records: readonly Record<string, unknown>[]): string {
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, `${baseName}.${format}`);
  const tmp = path.join(dir, `.${baseName}.${format}.tmp`);
  const table = exchangeTable(records);
  if (format === 'csv') {
    // a BOM so spreadsheet programs read the UTF-8 Chinese text correctly
    fs.writeFileSync(tmp, '\uFEFF' + table.map(csvLine).join(''), 'utf8');
  } else {
    const book = sheetJs().utils.book_new();
    sheetJs().utils.book_append_sheet(book, sheetJs().utils.aoa_to_sheet(table), 'records');
    fs.writeFileSync(tmp, sheetJs().write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
  }
  fs.renameSync(tmp, target);
  return target;
}

const isBlank = (cells: readonly RawCell[]): boolean => cells.every((c) => c === null || String(c).trim() === '');

/** The records of an inbound exchange file, keyed by the header row's texts. */
export async function readExchangeFile(file: string): Promise<Record<string, RawCell>[]> {
  const source = await openSource({ file, limits: { maxBytes: 512 * 1024 ** 2, maxRows: 2_000_000 } });
  let header: string[] | null = null;
  const records: Record<string, RawCell>[] = [];
  for await (const row of source.rows()) {
    if (isBlank(row.cells)) continue;
    if (!header) {
      header = row.cells.map((c) => (c === null ? '' : String(c).replace(/^\uFEFF/, '').trim()));
      continue;
    }
    const record: Record<string, RawCell> = {};
    header.forEach((name, i) => {
      if (name) record[name] = row.cells[i] ?? null;
    });
    records.push(record);
  }
  return records;
}

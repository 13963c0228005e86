/**
 * A demo city's logical rows written the way its legacy system exports them, laid out by the
 * city's own mapping (its header texts or SQL column names, its code tables read backwards):
 * - a workbook (.xlsx): a sheet per register under a merged title and a "单位：元" line, numbers as
 *   numbers, dates as Excel date serials, page subtotals;
 * - a mysqldump in GBK (`SET NAMES gbk`): CREATE TABLE and extended INSERTs;
 * - CSV files in GB18030: a title line, dates and amounts as clerks type them.
 */
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { sheetJs } from '../sheetjs';
import { daysFromCivil } from '../domain/rules/calendar';
import { groupThousands } from '../domain/decimal';
import type { Mapping, TableMapping } from '../mapping/schema';
import type { EntityName, LogicalRow } from './city-data';

type Cell = string | number | null;
type Format = 'xlsx' | 'mysqldump' | 'csv';

const DATE_FIELDS = new Set(['start_date', 'end_date', 'accident_date', 'determination_date', 'appraisal_date']);
const AMOUNT_FIELDS = new Set(['amount_due', 'amount_paid', 'amount', 'payroll_base']);
const FEN_PER: Record<string, bigint> = { fen: 1n, yuan: 100n, wan_yuan: 1_000_000n };
const CHINESE_CLASS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const NURSING_PHRASES = ['完全不能自理', '大部分不能自理', '部分不能自理'];
const EXCEL_EPOCH = daysFromCivil(1899, 12, 30);

/** fen as an exact decimal in `unit`, without trailing zeros past two places. */
function fenIn(fen: string, unit: string): string {
  const per = FEN_PER[unit] ?? 100n;
  const v = BigInt(fen);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const places = per.toString().length - 1;
  const int = abs / per;
  const frac = (abs % per).toString().padStart(places, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? `.${frac.length < 2 && unit === 'yuan' ? frac.padEnd(2, '0') : frac}` : ''}`;
}

/** The city code of a provincial value: its code table read backwards (the first code wins). */
function cityCode(codes: Mapping['codes'], table: string, value: string): string | undefined {
  return Object.entries(codes[table] ?? {}).find(([, v]) => v === value)?.[0];
}

export interface TableLayout {
  /** the column texts in file order (header texts, or SQL column names) */
  headers: string[];
  /** the mapped field of each column; null for ignored ones (序号, 备注) */
  fields: (string | null)[];
}

export function layoutOf(table: TableMapping): TableLayout {
  const text = (f: string) => table.columns[f]!.header ?? table.columns[f]!.column ?? f;
  const first = table.ignore.filter((c) => c === '序号');
  const last = table.ignore.filter((c) => c !== '序号');
  const mapped = Object.keys(table.columns);
  return { headers: [...first, ...mapped.map(text), ...last], fields: [...first.map(() => null), ...mapped, ...last.map(() => null)] };
}

/** One field of a data row as the city's system renders it. */
function renderField(field: string, row: LogicalRow, table: TableMapping, codes: Mapping['codes'], format: Format, rowIndex: number): Cell {
  const col = table.columns[field]!;
  // the mapping names the update-time field itself; the other fields are the record kind's
  const logical = field === table.updated_at ? 'updated_at' : field === 'risk_class' && !col.codes ? 'class_code' : field;
  if (row.raw && logical in row.raw) return row.raw[logical]!;
  const value = row.fields[logical];
  if (value === null || value === undefined) {
    // "none" where the city has a code for it (护理等级 0 = 无)
    return (col.codes ? cityCode(codes, col.codes, '') : undefined) ?? null;
  }
  const v = String(value);
  if (col.codes && field !== 'risk_class') return cityCode(codes, col.codes, v) ?? v;
  if (DATE_FIELDS.has(field)) {
    const [y, m, d] = v.split('-').map(Number) as [number, number, number];
    if (format === 'xlsx') return rowIndex % 9 === 4 ? `${y}.${m}.${d}` : daysFromCivil(y, m, d) - EXCEL_EPOCH;
    if (format === 'mysqldump') return v;
    return [`${y}年${m}月${d}日`, `${y}.${m}.${d}`, `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`, `${y}/${m}/${d}`][rowIndex % 4]!;
  }
  if (field === 'period') {
    if (format === 'xlsx') return Number(v.replace('-', ''));
    if (format === 'mysqldump') return v.replace('-', '');
    return `${v.slice(0, 4)}年${Number(v.slice(5))}月`;
  }
  if (AMOUNT_FIELDS.has(field)) {
    const decimal = fenIn(v, col.unit ?? 'yuan');
    if (format === 'xlsx' || format === 'mysqldump') return Number(decimal);
    return rowIndex % 3 === 0 ? groupThousands(decimal) : decimal;
  }
  if (field === 'rate') return format === 'csv' ? `${Number(v) * 100}%`.replace(/(\.\d*?)0+%$/, '$1%') : Number(v);
  if (field === 'risk_class') return col.codes ? v : `${CHINESE_CLASS[Number(v) - 1]}类`;
  if (field === 'disability_grade') return format === 'csv' ? `${CHINESE_CLASS[Number(v) - 1]}级` : Number(v);
  if (field === 'nursing_level') return format === 'xlsx' ? NURSING_PHRASES[Number(v) - 1]! : format === 'csv' ? `${CHINESE_CLASS[Number(v) - 1]}级` : v;
  if (field === 'legacy_no' && format === 'xlsx') return Number(v); // typed into a numeric cell
  return v;
}

/** The cells of every row of a table, the non-record rows included. */
export function renderRows(rows: readonly LogicalRow[], table: TableMapping, codes: Mapping['codes'], format: Format): Cell[][] {
  const layout = layoutOf(table);
  let serial = 0;
  return rows.map((row, i) => {
    if (row.kind === 'blank') return layout.headers.map(() => null);
    if (row.kind === 'header') return [...layout.headers];
    if (row.kind === 'subtotal') return layout.headers.map((_, c) => (c === 0 ? '合计' : c === layout.headers.length - 1 ? `${serial}条` : null));
    serial++;
    return layout.fields.map((f, c) => (f === null ? (layout.headers[c] === '序号' ? serial : row.defect === 'exact_duplicate' ? '重复录入' : null) : renderField(f, row, table, codes, format, i)));
  });
}

export const SHEET_TITLES: Record<EntityName, string> = {
  employer: '参保单位信息表',
  person_spell: '参保人员花名册',
  contribution: '单位缴费明细表',
  injury_case: '工伤认定登记表',
  appraisal: '劳动能力鉴定结论表',
  benefit_payment: '工伤保险待遇支付明细表',
};

export interface TableRows {
  table: TableMapping;
  entity: EntityName;
  rows: LogicalRow[];
}

export function writeWorkbook(file: string, cityName: string, tables: readonly TableRows[], codes: Mapping['codes']): void {
  const book = sheetJs().utils.book_new();
  for (const t of tables) {
    const layout = layoutOf(t.table);
    const aoa: Cell[][] = [
      [`${cityName}工伤保险${SHEET_TITLES[t.entity]}`, ...layout.headers.slice(1).map(() => null)],
      ['单位：元', ...layout.headers.slice(1, -1).map(() => null), '制表：社保中心'],
      layout.headers,
      ...renderRows(t.rows, t.table, codes, 'xlsx'),
    ];
    const sheet = sheetJs().utils.aoa_to_sheet(aoa);
    sheet['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: layout.headers.length - 1 } }];
    sheetJs().utils.book_append_sheet(book, sheet, t.table.stream);
  }
  sheetJs().writeFile(book, file);
}

const sqlValue = (v: Cell): string => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`);

export function writeMysqlDump(file: string, database: string, tables: readonly TableRows[], codes: Mapping['codes']): void {
  const out: string[] = [
    `-- MySQL dump 10.13  Distrib 5.5.62, for Win64 (AMD64)`,
    `--`,
    `-- Host: 10.43.3.12    Database: ${database}`,
    `-- ------------------------------------------------------`,
    `/*!40101 SET NAMES gbk */;`,
    `/*!40103 SET TIME_ZONE='+08:00' */;`,
    '',
  ];
  for (const t of tables) {
    const layout = layoutOf(t.table);
    const name = t.table.stream;
    const type = (f: string | null) => (f && AMOUNT_FIELDS.has(f) ? 'decimal(16,2)' : f && DATE_FIELDS.has(f) ? 'date' : f === t.table.updated_at ? 'datetime' : 'varchar(64)');
    out.push(`DROP TABLE IF EXISTS \`${name}\`;`, `CREATE TABLE \`${name}\` (`);
    out.push(layout.headers.map((h, c) => `  \`${h}\` ${type(layout.fields[c] ?? null)} DEFAULT NULL`).join(',\n'));
    out.push(`) ENGINE=InnoDB DEFAULT CHARSET=gbk;`, '', `LOCK TABLES \`${name}\` WRITE;`);
    // a table holds records only: the blank, subtotal and header rows of a sheet have no place here
    const tuples = renderRows(t.rows.filter((r) => r.kind === 'data'), t.table, codes, 'mysqldump').map((cells) => `(${cells.map(sqlValue).join(',')})`);
    for (let i = 0; i < tuples.length; i += 200) out.push(`INSERT INTO \`${name}\` VALUES ${tuples.slice(i, i + 200).join(',')};`);
    out.push(`UNLOCK TABLES;`, '');
  }
  fs.writeFileSync(file, iconv.encode(out.join('\n') + '\n', 'gbk'));
}

const csvField = (v: Cell): string => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function writeCsv(file: string, title: string, t: TableRows, codes: Mapping['codes']): void {
  const layout = layoutOf(t.table);
  const lines = [csvField(title), layout.headers.map(csvField).join(','), ...renderRows(t.rows, t.table, codes, 'csv').map((cells) => cells.map(csvField).join(','))];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, iconv.encode(lines.join('\r\n') + '\r\n', 'gb18030'));
}


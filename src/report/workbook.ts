/**
 * The province report as a provincial office files it (`tongchou report --xlsx`): on every sheet a
 * title row, 单位：元 and 制表日期 (China Standard Time), one row of Chinese headers, frozen so it
 * stays in view, then the figures — counts as numbers with thousands separators, yuan from exact
 * fen with two decimals. No English, no absolute paths, no UTC. Pure apart from the writer.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as XLSX from 'xlsx';
import { sheetJs } from '../sheetjs';
import { cstDateChinese, cstDateTime } from '../feeds/calendar';
import { fenToYuanString } from '../domain/decimal';
import { neutraliseText } from '../funds/workbook';
import type { CityReport } from '../../workflows/city-migration';
import { cityTotals, sourceTotals, type ProvinceReport, type Totals } from './province-report';
import { reasonText } from './reason-texts';
import { sheetName } from './province-tables';
import { freezeHeaderRows } from './xlsx-freeze';

/** A cell of the workbook: text, a row count, or money (fen as decimal text) shown in yuan. */
type Cell = string | number | { fen: string } | null;

interface Sheet {
  name: string;
  title: string;
  headers: string[];
  rows: Cell[][];
}

/** Rows above the data: title, unit and date, headers. The pane is frozen below them. */
export const HEADER_ROWS = 3;
export const COUNT_FORMAT = '#,##0';
export const YUAN_FORMAT = '#,##0.00';

export const STATUS_ZH: Record<string, string> = { done: '已完成', failed: '失败', skipped: '本次未运行' };
const KINDS = [
  ['byReason', '拒收原因'],
  ['bySkip', '跳过'],
  ['warnings', '提示'],
] as const;

/** The money the report shows, in this order: control measures (src/domain/normalize/control-totals.ts). */
export const MONEY_MEASURES: readonly (readonly [string, string])[] = [
  ['contribution.amount_due_fen', '应缴金额'],
  ['contribution.amount_paid_fen', '实缴金额'],
  ['benefit_payment.amount_fen', '待遇支付金额'],
];
const MEASURE_ZH: Record<string, string> = {
  'contribution.rows': '缴费记录数',
  'benefit_payment.rows': '待遇支付记录数',
  'injury_case.rows': '工伤案件数',
  'appraisal.rows': '鉴定记录数',
  ...Object.fromEntries(MONEY_MEASURES),
};

const COUNT_HEADERS = ['落地行数', '读取行数', '入库行数', '其中纠错入库', '拒收行数', '跳过行数', '重复合并行数'];
const counts = (t: Totals): Cell[] => [t.landed, t.read, t.loaded, t.fixed ?? 0, t.rejected, t.skipped, t.duplicates];
const money = (t: Totals): Cell[] => MONEY_MEASURES.map(([m]) => ({ fen: t.money?.[m] ?? '0' }));

/** Rows of the reasons section: every code that occurred, in Chinese, with counts per column. */
function reasonRows(columns: readonly Totals[]): Cell[][] {
  const rows: Cell[][] = [];
  for (const [key, kind] of KINDS) {
    const codes = [...new Set(columns.flatMap((t) => Object.keys(t[key])))].sort();
    for (const code of codes) rows.push([kind, code, reasonText(code).zh, ...columns.map((t) => t[key][code] ?? 0)]);
  }
  return rows;
}

/** A file named in a report: its name only (the machine's directories mean nothing to a reader). */
const fileName = (file: string): string => path.basename(file);

function summarySheet(report: ProvinceReport & { reportId?: string }): Sheet {
  const cityRows: Cell[][] = report.cities.map((c) => [c.cityCode, c.cityName, STATUS_ZH[c.status] ?? c.status, c.totals.sources, ...counts(c.totals), ...money(c.totals)]);
  const t = report.totals;
  const x = report.crossCity;
  const reasons = reasonRows([t, ...report.cities.map((c) => c.totals)]);
  const rows: Cell[][] = [
    ...cityRows,
    [report.provinceCode, `${report.provinceName}合计`, '', t.sources, ...counts(t), ...money(t)],
    [],
    ['跨市比对'],
    ['', '多市参保人员', x.persons],
    ['', '其中内容冲突', x.conflictPersons],
    ['', '重叠参保记录', x.spellOverlaps.total],
    ['', '其中跨市', x.spellOverlaps.crossCity],
    ...(reasons.length ? [[], ['类别', '代码', '说明', '全省', ...report.cities.map((c) => c.cityName)], ...reasons] : []),
    [],
    ['报告编号', report.reportId ?? ''],
    ['迁移完成时间', cstDateTime(new Date(report.generatedAt))],
    ['基金政策文件', fileName(report.fundPolicyPath)],
  ];
  return {
    name: sheetName(`全省汇总 ${report.provinceName}`),
    title: `${report.provinceName}工伤保险数据迁移报告（全省汇总）`,
    headers: ['市代码', '市名称', '状态', '来源数', ...COUNT_HEADERS, ...MONEY_MEASURES.map(([, zh]) => zh)],
    rows,
  };
}

function citySheet(report: CityReport): Sheet {
  const rows: Cell[][] = report.sources.flatMap((s) => {
    const money = sourceTotals(s).money ?? {};
    return s.streams.map((st, i) => [
      s.sourceKey,
      s.version,
      st.stream,
      s.status === 'unchanged' ? '未变' : '已加载',
      st.landed, st.read, st.loaded, st.fixed ?? 0, st.rejected, st.skipped, st.duplicates,
      // a source's money is the source's, shown once on its first sheet/table
      ...MONEY_MEASURES.map(([m]) => (i === 0 ? { fen: money[m] ?? '0' } : null)),
    ]);
  });
  const t = cityTotals(report);
  rows.push([`${report.cityName}合计`, '', '', '', ...counts(t), ...money(t)]);
  const reasons = reasonRows([t]);
  if (reasons.length) rows.push([], ['类别', '代码', '说明', '行数'], ...reasons);
  const control = report.sources.flatMap((s) => (s.controlTotals ?? []).map((c) => ({ ...c, sourceKey: s.sourceKey })));
  if (control.length) {
    const value = (measure: string, v: string): Cell => (measure.endsWith('_fen') ? { fen: v } : Number(v));
    rows.push([], ['控制数核对', '年度', '项目', '来源数据', '省库数据', '是否一致']);
    for (const c of control) rows.push([c.sourceKey, c.year, MEASURE_ZH[c.measure] ?? c.measure, value(c.measure, c.source), value(c.measure, c.province), c.ok ? '一致' : '不一致']);
  }
  rows.push([], ['映射', report.mappingName, `第${report.mappingVersionId}版`]);
  return {
    name: sheetName(`${report.cityCode} ${report.cityName}`),
    title: `${report.cityName}工伤保险数据迁移报告（${report.cityCode}）`,
    headers: ['来源', '版本', '表', '本次', ...COUNT_HEADERS, ...MONEY_MEASURES.map(([, zh]) => zh)],
    rows,
  };
}

/** Yuan as an Excel number when the double holds every digit exactly (15 significant digits);
 * beyond that (never for a real fund) as exact text, right-aligned by its format anyway. */
function yuanCell(fen: string): XLSX.CellObject {
  const text = fenToYuanString(BigInt(fen));
  return text.replace(/[-.]/g, '').replace(/^0+/, '').length <= 15 ? { t: 'n', v: Number(text), z: YUAN_FORMAT } : { t: 's', v: text };
}

function cellOf(c: Cell): XLSX.CellObject | null {
  if (c === null || c === '') return null;
  if (typeof c === 'number') return { t: 'n', v: c, z: COUNT_FORMAT };
  if (typeof c === 'string') return { t: 's', v: neutraliseText(c) };
  return yuanCell(c.fen);
}

/** CJK characters are two columns wide. */
const width = (s: string): number => [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);

function worksheet(s: Sheet, madeAt: Date): XLSX.WorkSheet {
  const ncols = Math.max(s.headers.length, ...s.rows.map((r) => r.length));
  const ws: XLSX.WorkSheet = {};
  const put = (r: number, c: number, cell: XLSX.CellObject | null) => {
    if (cell) ws[sheetJs().utils.encode_cell({ r, c })] = cell;
  };
  put(0, 0, { t: 's', v: s.title });
  put(1, 0, { t: 's', v: '单位：元' });
  put(1, ncols - 1, { t: 's', v: `制表日期：${cstDateChinese(madeAt)}` });
  s.headers.forEach((h, c) => put(2, c, { t: 's', v: h }));
  s.rows.forEach((row, r) => row.forEach((cell, c) => put(HEADER_ROWS + r, c, cellOf(cell))));
  ws['!ref'] = sheetJs().utils.encode_range({ s: { r: 0, c: 0 }, e: { r: HEADER_ROWS + Math.max(s.rows.length, 1) - 1, c: ncols - 1 } });
  ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: ncols - 1 } }];
  ws['!cols'] = Array.from({ length: ncols }, (_, c) => {
    const texts = [s.headers[c] ?? '', ...s.rows.map((r) => {
      const v = r[c];
      return v === null || v === undefined ? '' : typeof v === 'object' ? `${fenToYuanString(BigInt(v.fen))},,,` : String(v);
    })];
    return { wch: Math.min(40, Math.max(8, ...texts.map(width)) + 2) };
  });
  return ws;
}

/** The workbook: the province summary first, then each city in manifest order. */
export function provinceReportWorkbook(report: ProvinceReport & { reportId?: string }, madeAt: Date = new Date()): XLSX.WorkBook {
  const book = sheetJs().utils.book_new();
  for (const s of [summarySheet(report), ...report.cityReports.map(citySheet)]) sheetJs().utils.book_append_sheet(book, worksheet(s, madeAt), s.name);
  return book;
}

/** The workbook as xlsx bytes, each sheet's header rows frozen. */
export function provinceReportXlsx(report: ProvinceReport & { reportId?: string }, madeAt: Date = new Date()): Buffer {
  const book = provinceReportWorkbook(report, madeAt);
  return freezeHeaderRows(sheetJs().write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer, book.SheetNames.length, HEADER_ROWS);
}

/** Writes the workbook under a temporary name and renames it, so nobody opens half a file. */
export function writeProvinceReportWorkbook(file: string, report: ProvinceReport & { reportId?: string }, madeAt: Date = new Date()): string {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, provinceReportXlsx(report, madeAt));
  fs.renameSync(tmp, target);
  return target;
}

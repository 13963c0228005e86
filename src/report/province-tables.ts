/**
 * The province report as tables for the text an operator reads in the terminal: cities, reasons in
 * Chinese and English. (The workbook for officials is ./workbook.ts: Chinese only.)
 */
import type { Cell } from '../funds/tables';
import type { ProvinceReport, Totals } from './province-report';
import { reasonText } from './reason-texts';

const COUNT_HEADERS = ['落地 landed', '读取 read', '入库 loaded', '拒收 rejected', '跳过 skipped', '重复 duplicates'];
const counts = (t: Totals): Cell[] => [t.landed, t.read, t.loaded, t.rejected, t.skipped, t.duplicates];

export const STATUS_TEXTS: Record<string, string> = { done: '已完成 done', failed: '失败 failed', skipped: '本次未运行 not run this time' };

/** Excel forbids : \ / ? * [ ] in sheet names and allows 31 characters. */
export const sheetName = (text: string): string => text.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);

const KINDS = [
  ['byReason', '拒收原因 reject reason'],
  ['bySkip', '跳过 skipped row'],
  ['warnings', '提示 warning'],
] as const;

/** Rows of the reasons section: every code that occurred, with its meaning and counts. */
export function reasonRows(columns: readonly Totals[]): Cell[][] {
  const rows: Cell[][] = [];
  for (const [key, kind] of KINDS) {
    const codes = [...new Set(columns.flatMap((t) => Object.keys(t[key])))].sort();
    for (const code of codes) {
      const { zh, en } = reasonText(code);
      rows.push([kind, code, zh, en, ...columns.map((t) => t[key][code] ?? 0)]);
    }
  }
  return rows;
}

export const CITY_HEADERS = ['市 city', '名称 name', '状态 status', '来源 sources', ...COUNT_HEADERS];
export const REASON_HEADERS = ['类别 kind', '代码 code', '中文', 'English'];

/** A row per city and the province's total row. */
export function cityRows(report: ProvinceReport): Cell[][] {
  const rows: Cell[][] = report.cities.map((c) => [c.cityCode, c.cityName, STATUS_TEXTS[c.status] ?? c.status, c.totals.sources, ...counts(c.totals)]);
  rows.push([report.provinceCode, `${report.provinceName} 全省 province`, '', report.totals.sources, ...counts(report.totals)]);
  return rows;
}

export function crossCityRows(report: ProvinceReport): Cell[][] {
  const x = report.crossCity;
  return [
    ['多市参保人员 persons in several cities', x.persons],
    ['其中内容冲突 of whom with conflicting rows', x.conflictPersons],
    ['重叠参保记录 overlapping spells', x.spellOverlaps.total],
    ['其中跨市 of which across cities', x.spellOverlaps.crossCity],
  ];
}

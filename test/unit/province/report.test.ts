import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import type { SourceReport, StreamReport } from '../../../activities/source-report';
import { writeFundWorkbook } from '../../../src/funds/workbook';
import { cityTotals, mergeCityReport, sumTotals, type ProvinceReport } from '../../../src/report/province-report';
import { provinceReportTables, sheetName } from '../../../src/report/province-tables';
import { REASON_TEXTS, reasonText } from '../../../src/report/reason-texts';
import { reasonText as explained } from '../../../src/steward/reason-texts';
import { renderProvinceReportText } from '../../../src/report/render-text';
import type { CityReport } from '../../../workflows/city-migration';

const stream = (name: string, over: Partial<StreamReport>): StreamReport => ({
  stream: name, landed: 0, headerRows: 1, read: 0, loaded: 0, rejected: 0, skipped: 0, duplicates: 0, superseded: 0, byReason: {}, bySkip: {}, warnings: {}, ...over,
});
const source = (key: string, streams: StreamReport[], version = 1): SourceReport => ({ sourceFileId: key, sourceKey: key, path: `/data/${key}`, version, status: 'loaded', streams }) as SourceReport;
const city = (code: string, name: string, sources: SourceReport[]): CityReport => ({ cityCode: code, cityName: name, mappingName: `${code}-x`, mappingVersionId: 1, sources });

const changsha = city('430100', '长沙市', [
  source('430100/persons/a.csv', [stream('', { landed: 11, read: 10, loaded: 7, rejected: 2, skipped: 1, byReason: { 'id_number.checksum': 2 }, bySkip: { 'skip.blank': 1 } })]),
  source('430100/employers/b.xlsx', [
    stream('单位', { landed: 6, read: 5, loaded: 5 }),
    stream('=cmd|calc', { landed: 4, read: 3, loaded: 1, duplicates: 2, superseded: 1, warnings: { 'gender.conflict': 1 } }),
  ]),
]);
const zhuzhou = city('430200', '株洲市', [source('430200/persons/c.csv', [stream('', { landed: 5, read: 4, loaded: 3, rejected: 1, byReason: { 'id_number.checksum': 1, 'made.up': 1 } })])]);

test('a city is the sum of its streams; a province of its cities', () => {
  const a = cityTotals(changsha);
  expect(a).toEqual({
    sources: 2, streams: 3, landed: 21, read: 18, loaded: 13, rejected: 2, skipped: 1, duplicates: 2, superseded: 1,
    byReason: { 'id_number.checksum': 2 }, bySkip: { 'skip.blank': 1 }, warnings: { 'gender.conflict': 1 },
  });
  const p = sumTotals([a, cityTotals(zhuzhou)]);
  expect(p).toMatchObject({ sources: 3, streams: 4, read: 22, loaded: 16, rejected: 3, byReason: { 'id_number.checksum': 3, 'made.up': 1 } });
});

test('a re-run of some sources replaces theirs and keeps the rest; a whole run replaces the report', () => {
  const fixed = city('430100', '长沙市', [source('430100/persons/a.csv', [stream('', { landed: 11, read: 10, loaded: 9, rejected: 1 })], 2)]);
  const merged = mergeCityReport(changsha, fixed, true);
  expect(merged.sources.map((s) => [s.sourceKey, s.version])).toEqual([['430100/persons/a.csv', 2], ['430100/employers/b.xlsx', 1]]);
  expect(mergeCityReport(changsha, fixed, false)).toBe(fixed);
  expect(mergeCityReport(null, fixed, true)).toBe(fixed);
  const added = city('430100', '长沙市', [source('430100/cases/d.csv', [])]);
  expect(mergeCityReport(changsha, added, true).sources.map((s) => s.sourceKey)).toEqual(['430100/persons/a.csv', '430100/employers/b.xlsx', '430100/cases/d.csv']);
});

const report: ProvinceReport = {
  provinceCode: '43',
  provinceName: '湖南省',
  workflowId: 'province-migration/43',
  fundPolicyPath: '/p/fund-policy.yaml',
  generatedAt: '2026-11-29T00:00:00.000Z',
  cities: [
    { cityCode: '430100', cityName: '长沙市', status: 'done', totals: cityTotals(changsha) },
    { cityCode: '430200', cityName: '株洲市', status: 'skipped', totals: cityTotals(zhuzhou) },
  ],
  totals: sumTotals([cityTotals(changsha), cityTotals(zhuzhou)]),
  crossCity: { persons: 4, conflictPersons: 1, spellOverlaps: { total: 2, crossCity: 1, persons: 2 } },
  cityReports: [changsha, zhuzhou],
};

test('the workbook: a province summary and a sheet per city, reasons in Chinese and English, no formulas', () => {
  const file = path.join(fs.mkdtempSync(path.join(process.env.TONGCHOU_TEST_RUN_DIR ?? os.tmpdir(), 'xlsx-')), 'r.xlsx');
  writeFundWorkbook(file, provinceReportTables(report));
  const book = XLSX.readFile(file);
  expect(book.SheetNames).toEqual(['全省汇总 湖南省', '430100 长沙市', '430200 株洲市']);
  const rows = (name: string) => XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[name]!, { header: 1, defval: '' });

  const summary = rows('全省汇总 湖南省');
  expect(summary[1]!.slice(0, 10)).toEqual(['430100', '长沙市', '已完成 done', 2, 21, 18, 13, 2, 1, 2]);
  expect(summary[2]!.slice(0, 3)).toEqual(['430200', '株洲市', '本次未运行 not run this time']);
  expect(summary[3]!.slice(0, 10)).toEqual(['43', '湖南省 全省 province', '', 3, 26, 22, 16, 3, 1, 2]);
  expect(summary).toContainEqual(expect.arrayContaining(['拒收原因 reject reason', 'id_number.checksum', '身份证号校验位错误', 'Resident ID: wrong check character', 3, 2, 1]));
  // a code without a text is shown as itself
  expect(summary).toContainEqual(expect.arrayContaining(['拒收原因 reject reason', 'made.up', 'made.up', 'made.up', 1, 0, 1]));
  expect(summary).toContainEqual(expect.arrayContaining(['多市参保人员 persons in several cities', 4]));

  const changshaRows = rows('430100 长沙市');
  expect(changshaRows[0]).toEqual(['来源 source', '版本 version', '表 sheet/table', '本次 this run', '落地 landed', '读取 read', '入库 loaded', '拒收 rejected', '跳过 skipped', '重复 duplicates']);
  // a text cell that would be a formula is written as text
  expect(changshaRows[3]![2]).toBe("'=cmd|calc");
  expect(book.Sheets['430100 长沙市']!.C4!.f).toBeUndefined();
  expect(changshaRows).toContainEqual(expect.arrayContaining(['提示 warning', 'gender.conflict', '性别与身份证不一致（提示）']));
});

test('the text report: cities, their sum, the accounting check and the reasons', () => {
  const text = renderProvinceReportText({ ...report, reportId: '7' });
  expect(text).toContain('湖南省 (43) — province report #7');
  expect(text).toMatch(/read 22 = loaded 16 \+ rejected 3 \+ skipped 1 \+ duplicates 2 {2}✓/);
  expect(text).toMatch(/id_number\.checksum\s+身份证号校验位错误\s+Resident ID: wrong check character\s+3/);
});

test('every reason has a Chinese and an English text; sheet names are what Excel allows', () => {
  for (const [code, t] of Object.entries(REASON_TEXTS)) {
    expect(code).toMatch(/^[a-z_]+\.[a-z_]+$/);
    expect(t.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(t.en).toMatch(/^[ -~]+$/);
  }
  expect(reasonText('skip.blank')).toEqual({ zh: '空行', en: 'Blank row' });
  // one table: the report says what the workbench says
  expect(reasonText('id_number.checksum')).toEqual({ zh: explained('id_number.checksum', 'zh').title, en: explained('id_number.checksum', 'en').title });
  expect(sheetName('430100 长沙市: [一]/二?*')).toBe('430100 长沙市   一  二  ');
  expect(sheetName('x'.repeat(40))).toHaveLength(31);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import type { SourceReport, StreamReport } from '../../../activities/source-report';
import { cityTotals, mergeCityReport, sumTotals, withCurrentSources, type ProvinceReport } from '../../../src/report/province-report';
import { sheetName } from '../../../src/report/province-tables';
import { writeProvinceReportWorkbook } from '../../../src/report/workbook';
import { REASON_TEXTS, reasonText } from '../../../src/report/reason-texts';
import { reasonText as explained } from '../../../src/steward/reason-texts';
import { renderProvinceReportText } from '../../../src/report/render-text';
import type { CityReport } from '../../../workflows/city-migration';

const stream = (name: string, over: Partial<StreamReport>): StreamReport => ({
  stream: name, landed: 0, headerRows: 1, read: 0, loaded: 0, rejected: 0, skipped: 0, duplicates: 0, superseded: 0, byReason: {}, bySkip: {}, warnings: {}, ...over,
});
const source = (key: string, streams: StreamReport[], version = 1): SourceReport => ({ sourceFileId: key, sourceKey: key, path: `/data/${key}`, version, status: 'loaded', streams }) as SourceReport;
const city = (code: string, name: string, sources: SourceReport[]): CityReport => ({ cityCode: code, cityName: name, mappingName: `${code}-x`, mappingVersionId: 1, sources });

const contributions = [{ city: '430100', year: '2025', measure: 'contribution.amount_due_fen', source: '123456789', province: '123456789', ok: true }];
const changsha = city('430100', '长沙市', [
  { ...source('430100/persons/a.csv', [stream('', { landed: 11, read: 10, loaded: 7, rejected: 2, skipped: 1, byReason: { 'id_number.checksum': 2 }, bySkip: { 'skip.blank': 1 } })]), controlTotals: contributions },
  source('430100/employers/b.xlsx', [
    stream('单位', { landed: 6, read: 5, loaded: 5 }),
    stream('=cmd|calc', { landed: 4, read: 3, loaded: 1, duplicates: 2, superseded: 1, warnings: { 'gender.conflict': 1 } }),
  ]),
]);
const zhuzhou = city('430200', '株洲市', [source('430200/persons/c.csv', [stream('', { landed: 5, read: 4, loaded: 3, rejected: 1, byReason: { 'id_number.checksum': 1, 'made.up': 1 } })])]);

test('a city is the sum of its streams; a province of its cities', () => {
  const a = cityTotals(changsha);
  expect(a).toEqual({
    sources: 2, streams: 3, landed: 21, read: 18, loaded: 13, rejected: 2, skipped: 1, duplicates: 2, superseded: 1, fixed: 0,
    money: { 'contribution.amount_due_fen': '123456789' },
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

const madeAt = new Date('2026-12-07T17:30:00Z'); // 8 December in Shanghai

test('the workbook as a provincial office files it: title, 单位：元, 制表日期, Chinese headers, frozen, formatted', () => {
  const file = path.join(fs.mkdtempSync(path.join(process.env.TONGCHOU_TEST_RUN_DIR ?? os.tmpdir(), 'xlsx-')), 'r.xlsx');
  writeProvinceReportWorkbook(file, { ...report, reportId: '7' }, madeAt);
  const bytes = fs.readFileSync(file);
  const book = XLSX.read(bytes, { cellNF: true });
  expect(book.SheetNames).toEqual(['全省汇总 湖南省', '430100 长沙市', '430200 株洲市']);
  const rows = (name: string) => XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[name]!, { header: 1, defval: '' });

  const sheet = book.Sheets['全省汇总 湖南省']!;
  const summary = rows('全省汇总 湖南省');
  expect(summary[0]![0]).toBe('湖南省工伤保险数据迁移报告（全省汇总）');
  expect(sheet['!merges']).toContainEqual({ s: { r: 0, c: 0 }, e: { r: 0, c: 13 } });
  expect(summary[1]![0]).toBe('单位：元');
  expect(summary[1]![13]).toBe('制表日期：2026年12月8日');
  expect(summary[2]).toEqual(['市代码', '市名称', '状态', '来源数', '落地行数', '读取行数', '入库行数', '其中纠错入库', '拒收行数', '跳过行数', '重复合并行数', '应缴金额', '实缴金额', '待遇支付金额']);
  expect(summary[3]!.slice(0, 11)).toEqual(['430100', '长沙市', '已完成', 2, 21, 18, 13, 0, 2, 1, 2]);
  expect(summary[4]!.slice(0, 3)).toEqual(['430200', '株洲市', '本次未运行']);
  expect(summary[5]!.slice(0, 11)).toEqual(['43', '湖南省合计', '', 3, 26, 22, 16, 0, 3, 1, 2]);
  // one language per cell: no Latin words anywhere but codes, ids and file names
  for (const r of summary.slice(0, 6)) for (const v of r) if (typeof v === 'string') expect(v).not.toMatch(/[a-z]{3,}/);
  // counts with thousands separators, yuan from exact fen with two decimals
  expect(sheet.E4!.z).toBe('#,##0');
  expect(sheet.L4).toMatchObject({ t: 'n', v: 1234567.89, z: '#,##0.00', w: '1,234,567.89' });
  expect(sheet.L6).toMatchObject({ v: 1234567.89 });
  expect(summary).toContainEqual(expect.arrayContaining(['拒收原因', 'id_number.checksum', '身份证号校验位错误', 3, 2, 1]));
  expect(summary).toContainEqual(expect.arrayContaining(['拒收原因', 'made.up', 'made.up', 1, 0, 1]));
  expect(summary).toContainEqual(['', '多市参保人员', 4, ...Array(11).fill('')]);
  // local time, no absolute path
  expect(summary).toContainEqual(expect.arrayContaining(['迁移完成时间', '2026-11-29 08:00:00']));
  expect(summary).toContainEqual(expect.arrayContaining(['基金政策文件', 'fund-policy.yaml']));
  expect(JSON.stringify(summary)).not.toContain('/p/');

  const changshaRows = rows('430100 长沙市');
  expect(changshaRows[0]![0]).toBe('长沙市工伤保险数据迁移报告（430100）');
  expect(changshaRows[2]!.slice(0, 4)).toEqual(['来源', '版本', '表', '本次']);
  // a text cell that would be a formula is written as text
  expect(changshaRows[5]![2]).toBe("'=cmd|calc");
  expect(book.Sheets['430100 长沙市']!.C6!.f).toBeUndefined();
  expect(changshaRows).toContainEqual(expect.arrayContaining(['提示', 'gender.conflict', '性别与身份证不一致（提示）']));
  expect(changshaRows).toContainEqual(expect.arrayContaining(['430100/persons/a.csv', '2025', '应缴金额', 1234567.89, 1234567.89, '一致']));
  expect(JSON.stringify(changshaRows)).not.toContain('/data/');

  // every sheet's title, unit/date and header rows frozen (SheetJS reads no panes: its zip reader does)
  const zip = XLSX.CFB.read(bytes, { type: 'buffer' }) as { FullPaths: string[]; FileIndex: { content: Uint8Array }[] };
  for (let i = 1; i <= 3; i++) {
    const xml = Buffer.from(zip.FileIndex[zip.FullPaths.findIndex((p) => p.endsWith(`sheet${i}.xml`))]!.content).toString('utf8');
    expect(xml).toMatch(/<sheetView [^>]*><pane ySplit="3" topLeftCell="A4" activePane="bottomLeft" state="frozen"\/>/);
  }
});

test('a source re-accounted after the run (steward fixes) replaces its counts in the report', () => {
  const persons = changsha.sources[0]!;
  const now = { ...persons, streams: [{ ...persons.streams[0]!, loaded: 9, rejected: 0, fixed: 2, byReason: {} }] };
  const current = withCurrentSources(report, new Map([[persons.sourceFileId, now]]));
  expect(current.cities[0]!.totals).toMatchObject({ loaded: 15, rejected: 0, fixed: 2 });
  expect(current.totals).toMatchObject({ read: 22, loaded: 18, rejected: 1, fixed: 2, duplicates: 2 });
  expect(current.cityReports[0]!.sources[0]!.streams[0]!.loaded).toBe(9);
  expect(renderProvinceReportText(current)).toMatch(/read 22 = loaded 18 \+ rejected 1 \+ skipped 1 \+ duplicates 2 {2}✓ {2}\(loaded after a steward fix: 2\)/);
  // the run's own record of the source stays as it was
  expect(report.totals.loaded).toBe(16);
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

/**
 * `mapping check` accepts and describes the layouts of issue #14 — an item-code pivot, summed
 * columns, a `skip: true` code table, a sheet no table binds — and predicts per sheet what the
 * pipeline does with them (test/integration/layouts.test.ts runs the same workbook for real).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderMappingCheck } from '../../../src/cli/commands/mapping';
import { checkMapping } from '../../../src/mapping/check';
import { LAYOUTS_EXPECTED, writeLayoutsFixture } from '../../support/layouts-fixture';

let mappingFile: string;
beforeAll(() => {
  mappingFile = writeLayoutsFixture(fs.mkdtempSync(path.join(os.tmpdir(), 'layouts-check-')));
});

test('check accepts the layouts, counts every row and reports the unbound sheet as not mapped', async () => {
  const check = await checkMapping(mappingFile, { provinceCode: '43', loadDate: '2024-06-30' });
  expect(check.problems).toEqual([]);
  expect(check.ok).toBe(true);
  const byStream = Object.fromEntries(check.streams.map((s) => [s.stream, s]));
  expect(Object.keys(byStream)).toEqual(['项目明细', '年度收支', 'dm_dylx']);
  expect(byStream['项目明细']).toMatchObject(LAYOUTS_EXPECTED.items);
  expect(byStream['年度收支']).toMatchObject(LAYOUTS_EXPECTED.flows);
  expect(byStream.dm_dylx).toMatchObject({ ...LAYOUTS_EXPECTED.codeTable, entity: '—', unboundColumns: [] });
  expect(check.unmappedStreams).toEqual([{ file: path.join('data', 'funds.xlsx'), stream: '说明', rows: 2 }]);

  // the bad addend is named by its column
  expect(byStream['年度收支']!.sampleRejects.flatMap((r) => r.reasons)).toEqual([
    { code: 'amount.format', field: 'other_income', detail: '利息收入: abc' },
    { code: 'amount.precision', field: 'other_income', detail: '利息收入: 1e-7 wan_yuan' },
  ]);
  const itemReasons = byStream['项目明细']!.sampleRejects.map((r) => [r.row, r.reasons.map((x) => x.detail)]);
  expect(itemReasons).toEqual([
    [8, ['row 10: JY77 (the mapping\'s codes: JY10, JY11, JY12)']],
    [10, ['row 10: JY77 (the mapping\'s codes: JY10, JY11, JY12)']],
    [11, ['JY10 on rows 11 and 12']],
    [12, ['JY10 on rows 11 and 12']],
    [13, ['no row with item code JY10 in this group']],
  ]);
});

test('the check output describes each layout and names the sheet that is not mapped', async () => {
  const text = renderMappingCheck(await checkMapping(mappingFile, { provinceCode: '43', loadDate: '2024-06-30' }));
  expect(text).toContain('layout: item codes in 项目编码, amounts in 金额 (wan_yuan); one record per city_code + year: surplus = JY10; reserve = JY11; city_adjustment_fund = JY12; ignored: JY99');
  expect(text).toContain('layout: other_income = 利息收入 + 其他收入 (wan_yuan, summed in fen)');
  expect(text).toContain('layout: skip: true — holds no records; every row is reported skipped (skip.table)');
  expect(text).toContain('not mapped: data/funds.xlsx [说明] (2 rows)');
  expect(text).toMatch(/: OK\n/);
});

/**
 * The layouts of issue #14 through cityMigration on the real Temporal dev server and PostgreSQL:
 * one workbook with an item-code sheet pivoted into fund_position records, a yearly sheet whose
 * other income is two columns summed, a code table declared `skip: true` and a notes sheet no
 * table binds. Every landed row is accounted for; the provincial records hold exact fen.
 */
import { cityMigration, type CityReport } from '../../workflows/city-migration';
import { renderCityReport } from '../../src/cli/city-report';
import { LAYOUTS_EXPECTED, writeLayoutsFixture } from '../support/layouts-fixture';
import { createTestDatabase, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

let tdb: TestDatabase;
let temporal: TestTemporal;
let report: CityReport;

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  const mappingPath = writeLayoutsFixture(tmpDir('layouts'));
  report = await temporal.client.workflow.execute(cityMigration, {
    workflowId: 'layouts-1',
    taskQueue: temporal.taskQueues.main,
    // small batches: the rows of a pivot group lie in different batches
    args: [{ mappingPath, taskQueues: temporal.taskQueues, batchRows: 4 }],
  });
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

const streamOf = (name: string) => report.sources[0]!.streams.find((s) => s.stream === name)!;

test('item-code rows pivot into one fund_position record per group, exact in fen', async () => {
  expect(streamOf('项目明细')).toMatchObject({ landed: 14, headerRows: 1, ...LAYOUTS_EXPECTED.items });
  const rows = (await tdb.db('province.city_fund_position').orderBy('natural_key').select('natural_key', 'year', 'surplus_fen', 'reserve_fen', 'city_adjustment_fund_fen', 'unit')) as Record<string, unknown>[];
  expect(rows).toEqual([
    // 1234.5678 万元 = 12,345,678 元; 100.25 万元; 50 万元
    { natural_key: '430100:year-2019:final_accounts', year: 2019, surplus_fen: '1234567800', reserve_fen: '100250000', city_adjustment_fund_fen: '50000000', unit: 'wan_yuan' },
    // 0.000001 万元 = 1 fen
    { natural_key: '430100:year-2020:final_accounts', year: 2020, surplus_fen: '2000000000', reserve_fen: '1', city_adjustment_fund_fen: '0', unit: 'wan_yuan' },
  ]);
  // the folded rows are merged into the group's record: lineage to it from every row of the group
  const lineage = (await tdb.db('pipeline.record_lineage as l')
    .join('landing.stream as s', 's.id', 'l.stream_id')
    .where('s.name', '项目明细')
    .orderBy('l.row_no')
    .select('l.row_no', 'l.natural_key')) as { row_no: number; natural_key: string }[];
  expect(lineage.map((l) => [l.row_no, l.natural_key])).toEqual([
    [3, '430100:year-2019:final_accounts'],
    [4, '430100:year-2019:final_accounts'],
    [5, '430100:year-2019:final_accounts'],
    [6, '430100:year-2019:final_accounts'],
    [7, '430100:year-2020:final_accounts'],
    [9, '430100:year-2020:final_accounts'],
  ]);
});

test('refused groups reject every row of the group with the reason, for the stewards', async () => {
  const rejects = (await tdb.db('pipeline.reject as r')
    .join('landing.stream as s', 's.id', 'r.stream_id')
    .where('s.name', '项目明细')
    .orderBy('r.row_no')
    .select('r.row_no', 'r.codes')) as { row_no: number; codes: string[] }[];
  expect(rejects.map((r) => [r.row_no, r.codes])).toEqual([
    [8, ['pivot.code_unknown']],
    [10, ['pivot.code_unknown']],
    [11, ['pivot.code_duplicate']],
    [12, ['pivot.code_duplicate']],
    [13, ['pivot.code_missing']],
  ]);
});

test('summed columns load exact fen; a bad addend rejects naming its column', async () => {
  expect(streamOf('年度收支')).toMatchObject({ landed: 5, headerRows: 1, ...LAYOUTS_EXPECTED.flows });
  const years = (await tdb.db('province.city_fund_year').orderBy('year').select('year', 'contribution_income_fen', 'other_income_fen', 'expenditure_fen')) as Record<string, unknown>[];
  expect(years).toEqual([
    // 1.5 + 2.25 万元 = 37,500 元
    { year: 2019, contribution_income_fen: '1000000000', other_income_fen: '3750000', expenditure_fen: '800000000' },
    // blank + 0.000001 万元 = 1 fen
    { year: 2020, contribution_income_fen: '1100000000', other_income_fen: '1', expenditure_fen: '900000000' },
  ]);
  const reasons = (await tdb.db('pipeline.reject as r')
    .join('landing.stream as s', 's.id', 'r.stream_id')
    .where('s.name', '年度收支')
    .orderBy('r.row_no')
    .pluck('r.reasons')) as { code: string; field: string; detail: string }[][];
  expect(reasons).toEqual([
    [{ code: 'amount.format', field: 'other_income', detail: '利息收入: abc' }],
    [{ code: 'amount.precision', field: 'other_income', detail: '利息收入: 1e-7 wan_yuan' }],
  ]);
});

test('a skip: true table is reported skipped, not staged as rejects; an unbound sheet is not mapped', async () => {
  expect(streamOf('dm_dylx')).toMatchObject({ landed: 4, headerRows: 0, ...LAYOUTS_EXPECTED.codeTable });
  expect(streamOf('说明')).toEqual(expect.objectContaining({ landed: 2, read: 0, notMapped: true }));
  const skipStream = (await tdb.db('landing.stream').where({ name: 'dm_dylx' }).first('id')) as { id: string };
  expect(await tdb.db('pipeline.reject').where({ stream_id: skipStream.id }).count('* as n').first()).toEqual({ n: '0' });
  expect(await tdb.db('pipeline.staged_record').where({ stream_id: skipStream.id }).count('* as n').first()).toEqual({ n: '0' });

  const text = renderCityReport(report);
  expect(text).toMatch(/\[dm_dylx\] v1 +│? *4 +│? *0 +│? *0 +│? *4/);
  expect(text).toContain('[说明] v1 (not mapped: 2 rows landed, none read)');
  expect(text).toContain('skip.table');
  expect(text).toContain('✓');
});

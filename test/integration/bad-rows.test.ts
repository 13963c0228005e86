/**
 * Bad rows on the real Temporal dev server and PostgreSQL (issue #14, "Bad input and failures"):
 * a row that breaks normalization or loading is that row's reject, never a crash of its batch.
 * - A fund statement row rejected with a valid amount beside a bad one: its bigint fen used to
 *   reach JSON.stringify and throw "Do not know how to serialize a BigInt", failing the batch
 *   into 50 silent retries.
 * - A fund row whose amount passes every rule but is beyond what PostgreSQL's bigint holds: the
 *   load statement fails; the batch loads again row by row and rejects only that row
 *   `internal.row_error`, with the database's message.
 * Exactly once and read = loaded + rejected + skipped + duplicates hold throughout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cityMigration, type CityReport } from '../../workflows/city-migration';
import { createTestDatabase, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

let tdb: TestDatabase;
let temporal: TestTemporal;
let dir: string;

const MAPPING = `
city: { code: "430300", name: 湘潭市 }
sources:
  - id: fund-surplus
    files: [surplus.csv]
    format: csv
    tables:
      - entity: fund_position
        columns:
          year: 年度
          surplus: { header: 当年结余(元), unit: yuan }
          reserve: { header: 其中储备金(元), unit: yuan }
  - id: fund-flows
    files: [flows.csv]
    format: csv
    tables:
      - entity: fund_year
        columns:
          year: 年度
          contribution_income: { header: 保险费收入(元), unit: yuan }
          other_income: { header: 其他收入(元), unit: yuan }
          expenditure: { header: 基金支出(元), unit: yuan }
`;

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  dir = tmpDir('bad-rows');
  fs.writeFileSync(path.join(dir, '430300-xiangtan-funds.yaml'), MAPPING);
  fs.writeFileSync(
    path.join(dir, 'surplus.csv'),
    [
      '年度,当年结余(元),其中储备金(元)',
      '2019,1234567.89,0',
      // a valid surplus beside a reserve that is no amount: rejected amount.format for reserve
      '2020,2345678.90,十万元',
      '2021,3456789.01,1000.00',
    ].join('\n') + '\n',
  );
  fs.writeFileSync(
    path.join(dir, 'flows.csv'),
    [
      '年度,保险费收入(元),其他收入(元),基金支出(元)',
      '2022,95000000.00,500000.00,90000000.00',
      // valid fen, but 9,999,999,999,999,999,999,900 fen do not fit in a bigint column
      '2023,99999999999999999999,500000.00,160000000.00',
      // a bad amount beside good ones in a fund_year row (the same BigInt crash)
      '2024,90000000.00,n/a,200000000.00',
      '2025,95000000.00,450000.00,110000000.00',
    ].join('\n') + '\n',
  );
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

const run = (id: string): Promise<CityReport> =>
  temporal.client.workflow.execute(cityMigration, {
    workflowId: id,
    taskQueue: temporal.taskQueues.main,
    args: [{ mappingPath: path.join(dir, '430300-xiangtan-funds.yaml'), taskQueues: temporal.taskQueues, batchRows: 2 }],
  });

test('a rejected fund row with bigint fen is a reject with its reason, not a crashed batch', async () => {
  const report = await run('bad-rows-1');
  const [surplus, flows] = report.sources.map((s) => s.streams[0]!);
  expect(surplus).toMatchObject({ read: 3, loaded: 2, rejected: 1, skipped: 0, duplicates: 0, byReason: { 'amount.format': 1 } });
  expect(flows).toMatchObject({ read: 4, loaded: 2, rejected: 2, skipped: 0, duplicates: 0, byReason: { 'amount.format': 1, 'internal.row_error': 1 } });
  for (const s of [surplus!, flows!]) expect(s.read).toBe(s.loaded + s.rejected + s.skipped + s.duplicates);

  const fundReject = await tdb.db('pipeline.reject').where({ entity: 'fund_position' }).first();
  expect(fundReject).toMatchObject({ row_no: 3, codes: ['amount.format'], status: 'open' });
  // what normalized is kept as text fen, like every payload
  expect(fundReject.normalized).toMatchObject({ period: { year: 2020, bucketId: null }, surplus: '234567890' });
  expect(fundReject.reasons).toEqual([{ code: 'amount.format', field: 'reserve', detail: '十万元' }]);
  const yearReject = await tdb.db('pipeline.reject').where({ entity: 'fund_year', row_no: 4 }).first();
  expect(yearReject.normalized).toMatchObject({ year: 2024, contribution_income: '9000000000', expenditure: '20000000000' });

  expect(await tdb.db('province.city_fund_position').orderBy('year').pluck('year')).toEqual([2019, 2021]);
  expect(await tdb.db('province.city_fund_year').orderBy('year').pluck('year')).toEqual([2022, 2025]);
});

test('a row the database refuses at load is rejected internal.row_error with the message; the rest of its batch loads', async () => {
  const reject = await tdb.db('pipeline.reject').where({ entity: 'fund_year', row_no: 3 }).first();
  expect(reject.codes).toEqual(['internal.row_error']);
  expect(reject.reasons[0].detail).toMatch(/out of range for type bigint/);
  // the steward sees the row as it was in the file
  expect(reject.fields).toMatchObject({ year: '2023', contribution_income: '99999999999999999999' });
  // row 2 shared the batch (batchRows: 2) and loaded once, with its lineage
  const outcomes = await tdb.db('pipeline.row_outcomes as o').join('landing.stream as s', 's.id', 'o.stream_id').where('o.entity', 'fund_year').orderBy('o.row_no').select('o.row_no', 'o.outcome');
  expect(outcomes.map((o: { row_no: number; outcome: string }) => [o.row_no, o.outcome])).toEqual([
    [2, 'loaded'],
    [3, 'rejected'],
    [4, 'rejected'],
    [5, 'loaded'],
  ]);
  const lineage = await tdb.db('pipeline.record_lineage').where({ entity: 'fund_year' }).orderBy('row_no').pluck('row_no');
  expect(lineage).toEqual([2, 5]);
});

test('a re-run of the same files does nothing twice', async () => {
  const again = await run('bad-rows-2');
  expect(again.sources.map((s) => s.status)).toEqual(['unchanged', 'unchanged']);
  const { n } = (await tdb.db('pipeline.reject').count('* as n').first()) as { n: string };
  expect(Number(n)).toBe(3);
});

/**
 * The vertical slice on the real Temporal dev server and PostgreSQL: a city's persons CSV through
 * cityMigration into province.person, every row accounted for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writePersonsCsv } from '../../src/demo/persons-file';
import { cityMigration, type CityReport } from '../../workflows/city-migration';
import { createTestDatabase, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

const MAPPING = path.resolve(__dirname, '../../mappings/demo/430100-changsha.yaml');

let tdb: TestDatabase;
let temporal: TestTemporal;
let dir: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  dir = tmpDir('slice');
  fs.mkdirSync(path.join(dir, 'data', '430100'), { recursive: true });
  fs.copyFileSync(MAPPING, path.join(dir, '430100-changsha.yaml'));
  await writePersonsCsv(path.join(dir, 'data', '430100', 'persons.csv'), {
    rows: 260,
    seed: 7,
    regionCodes: ['430102', '430103'],
    cityName: '长沙市',
    defectEvery: 7,
  });
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

const run = (id: string): Promise<CityReport> =>
  temporal.client.workflow.execute(cityMigration, {
    workflowId: id,
    taskQueue: temporal.taskQueues.main,
    args: [{ mappingPath: path.join(dir, '430100-changsha.yaml'), taskQueues: temporal.taskQueues, batchRows: 50 }],
  });

test('every row of the persons file is loaded, rejected with reasons, skipped or merged', async () => {
  const report = await run('slice-1');
  expect(report.cityCode).toBe('430100');
  expect(report.sources).toHaveLength(1);
  const [stream] = report.sources[0]!.streams;
  // 2 title lines + 260 data rows; the header row binds the columns and is not read
  expect(stream).toMatchObject({ landed: 263, headerRows: 1, read: 262 });
  // 13 kinds of defect in turn on every 7th row: 37 defects, the last two kinds twice, the rest 3×
  expect(stream!.bySkip).toEqual({ 'skip.header': 4, 'skip.blank': 3, 'skip.subtotal': 3 });
  expect(stream!.byReason).toEqual({
    'id_number.checksum': 3,
    'id_number.birth_date': 3,
    'id_number.format': 3,
    'name.missing': 3,
    // both rows of each conflicting pair
    'duplicate.conflict': 4,
  });
  expect(stream!.duplicates).toBe(3);
  expect(stream!.warnings).toEqual({ 'gender.conflict': 3 });
  expect(stream!.rejected).toBe(16);
  expect(stream!.skipped).toBe(10);
  expect(stream!.loaded).toBe(262 - 10 - 16 - 3);
  expect(stream!.read).toBe(stream!.loaded + stream!.rejected + stream!.skipped + stream!.duplicates);

  const { count } = (await tdb.db('province.person').count('* as count').first()) as { count: string };
  expect(Number(count)).toBe(stream!.loaded);
  // normalized values: 15-digit IDs upgraded, full-width digits and lower-case x fixed
  const ids: string[] = (await tdb.db('province.person').pluck('id_number')) as string[];
  expect(ids.every((id) => /^\d{17}[\dX]$/.test(id))).toBe(true);
  const upgraded = await tdb.db('pipeline.record_lineage as l')
    .join('landing.raw_row as r', function () {
      this.on('r.stream_id', 'l.stream_id').andOn('r.row_no', 'l.row_no');
    })
    .whereRaw('length(landing.cells_json(r.cells, r.delimiter)->>2) = 15')
    .select('l.natural_key', tdb.db.raw('landing.cells_json(r.cells, r.delimiter)->>2 as raw_id'));
  expect(upgraded.length).toBe(3);
  for (const u of upgraded as { natural_key: string; raw_id: string }[]) {
    expect(u.natural_key.slice(0, 6) + u.natural_key.slice(8, 17)).toBe(u.raw_id);
    expect(u.natural_key.slice(6, 8)).toBe('19');
  }
  // every reject is in the steward queue with its raw fields and locator
  const rejects = await tdb.db('pipeline.reject').select('row_no', 'codes', 'fields');
  expect(rejects).toHaveLength(16);
  for (const r of rejects as { fields: Record<string, unknown> }[]) expect(Object.keys(r.fields).sort()).toEqual(['gender', 'id_number', 'name']);
});

test('running the same file again loads nothing twice', async () => {
  const before = await tdb.db('province.person').count('* as n').first();
  const report = await run('slice-2');
  expect(report.sources[0]!.status).toBe('unchanged');
  expect(await tdb.db('province.person').count('* as n').first()).toEqual(before);
  const { n } = (await tdb.db('landing.raw_row').count('* as n').first()) as { n: string };
  expect(Number(n)).toBe(263);
});

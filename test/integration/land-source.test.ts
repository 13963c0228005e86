/**
 * The landing activity on the real PostgreSQL: COPY in chunks committed with their markers, and
 * an attempt cut short resumes after the last committed chunk — every row lands exactly once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createLandSource, type LandSourceResult } from '../../activities/land-source';
import { createRegisterSource } from '../../activities/register-source';
import { readRawRows } from '../../src/db/raw-rows';
import { writePersonsCsv } from '../../src/demo/persons-file';
import { createTestDatabase, testConfig, testLogger, tmpDir, type TestDatabase } from '../support/services';

let tdb: TestDatabase;
let file: string;
beforeAll(async () => {
  tdb = await createTestDatabase();
  file = path.join(tmpDir('land'), 'persons.csv');
  await writePersonsCsv(file, { rows: 5_000, seed: 3, regionCodes: ['430102'], cityName: '长沙市' });
});
afterAll(async () => tdb?.drop());

const deps = () => ({ db: tdb.db, log: testLogger(), config: testConfig() });

test('registers a file once by content and lands every row exactly once across a cut-short attempt', async () => {
  const register = createRegisterSource(deps());
  const input = { cityCode: '430100', sourceKey: '430100/persons/persons.csv', path: file, format: 'csv', mappingVersionId: 1 };
  const first = await register(input);
  expect(first).toMatchObject({ version: 1, isNew: true });
  expect(await register(input)).toMatchObject({ sourceFileId: first.sourceFileId, version: 1, isNew: false, alreadyLoaded: false });

  const land = createLandSource(deps());
  // first attempt: cancelled after its first heartbeat, as a worker going away mid-file would be
  const env1 = new MockActivityEnvironment();
  env1.on('heartbeat', () => env1.cancel());
  await expect(env1.run(land, { sourceFileId: first.sourceFileId, chunkRows: 500 })).rejects.toThrow();
  const { n: partial } = (await tdb.db('landing.raw_row').count('* as n').first()) as { n: string };
  expect(Number(partial)).toBeGreaterThan(0);
  expect(Number(partial)).toBeLessThan(5_003);
  expect(Number(partial) % 500).toBe(0); // only whole committed chunks

  const env2 = new MockActivityEnvironment();
  const result = (await env2.run(land, { sourceFileId: first.sourceFileId, chunkRows: 500 })) as LandSourceResult;
  expect(result.resumedAfter).toEqual({ stream: '', rowNo: Number(partial) });
  expect(result.rowsLanded).toBe(5_003); // 2 title lines + header + 5,000 rows
  expect(result.rowsThisAttempt).toBe(5_003 - Number(partial));
  const dup = await tdb.db.raw('SELECT row_no FROM landing.raw_row GROUP BY stream_id, row_no HAVING count(*) > 1');
  expect(dup.rows).toEqual([]);
  const { rows } = await tdb.db.raw('SELECT min(row_no)::int AS lo, max(row_no)::int AS hi, count(*)::int AS n FROM landing.raw_row');
  expect(rows[0]).toEqual({ lo: 1, hi: 5_003, n: 5_003 });
  // the header is a plain line: stored as written, and the same cells whichever way it is read
  const row3 = await tdb.db('landing.raw_row').where({ row_no: 3 }).first('cells', 'delimiter', tdb.db.raw('landing.cells_json(cells, delimiter) AS json'));
  expect(row3).toEqual({ cells: '序号,姓名,身份证号,性别,备注', delimiter: ',', json: ['序号', '姓名', '身份证号', '性别', '备注'] });
  expect(await readRawRows(tdb.db, String(result.streams[0]!.streamId), '', [3])).toEqual([{ stream: '', rowNo: 3, cells: ['序号', '姓名', '身份证号', '性别', '备注'] }]);

  // a landed file is not landed again
  const env3 = new MockActivityEnvironment();
  expect(await env3.run(land, { sourceFileId: first.sourceFileId })).toMatchObject({ rowsLanded: 5_003, rowsThisAttempt: 0 });
});

test('a changed file is the next version of its source', async () => {
  const other = path.join(tmpDir('land2'), 'persons.csv');
  await writePersonsCsv(other, { rows: 10, seed: 4, regionCodes: ['430102'], cityName: '长沙市' });
  const register = createRegisterSource(deps());
  const v2 = await register({ cityCode: '430100', sourceKey: '430100/persons/persons.csv', path: other, format: 'csv', mappingVersionId: 1 });
  expect(v2).toMatchObject({ version: 2, isNew: true });
});

test('a mysqldump lands plain tuples as their text; the reader and landing.cells_json give the parser’s cells', async () => {
  const dir = tmpDir('land-sql');
  const file = path.join(dir, 'persons.sql');
  const tuples = [
    "(1,'王伟','430105198011191740',-12.50,NULL)",
    "(2,'a,b)(c','NULL',007,'')",
    "(3,'𠮷·田','x',123456789012345678.99,0.000123)",
    "(4,'O\\'Brien','y',1,2)", // an escape: the general parser, stored as JSON
  ];
  fs.writeFileSync(file, `CREATE TABLE t (a int, b text, c text, d decimal, e text);\nINSERT INTO t VALUES ${tuples.join(',')};\n`);
  const reg = await createRegisterSource(deps())({ cityCode: '430100', sourceKey: '430100/sql/persons.sql', path: file, format: 'mysqldump', mappingVersionId: 1 });
  const result = (await new MockActivityEnvironment().run(createLandSource(deps()), { sourceFileId: reg.sourceFileId })) as LandSourceResult;
  const streamId = String(result.streams[0]!.streamId);
  const expected = [
    [1, '王伟', '430105198011191740', -12.5, null],
    [2, 'a,b)(c', 'NULL', 7, ''],
    [3, '𠮷·田', 'x', '123456789012345678.99', 0.000123],
    [4, "O'Brien", 'y', 1, 2],
  ];
  expect((await readRawRows(tdb.db, streamId, 't', [1, 2, 3, 4])).map((r) => r.cells)).toEqual(expected);
  const stored = await tdb.db('landing.raw_row').where({ stream_id: streamId }).orderBy('row_no').select('delimiter', tdb.db.raw('landing.cells_json(cells, delimiter) AS json'));
  // the first tuple (after "VALUES ") and the escaped one are read by the general parser: JSON
  expect(stored.map((r: { delimiter: string | null }) => r.delimiter)).toEqual([null, '(sql)', '(sql)', null]);
  expect(stored.map((r: { json: unknown }) => r.json)).toEqual(expected);
});

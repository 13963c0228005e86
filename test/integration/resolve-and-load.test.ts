/**
 * Duplicate resolution and loading of one stream, activity by activity: resolveDuplicates writes
 * a decision only on records whose key repeats (and marks the stream resolved), the loader reads
 * the only record of its key as the winner, refuses to load a stream not yet resolved, and writes
 * each province record from its staged payload.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createLandSource, type LandSourceResult } from '../../activities/land-source';
import { createLoadBatch } from '../../activities/load-batch';
import { createNormalizeBatch } from '../../activities/normalize-batch';
import { createPlanBatches } from '../../activities/plan-batches';
import { createRegisterSource } from '../../activities/register-source';
import { createResolveDuplicates } from '../../activities/resolve-duplicates';
import { createSourceReport } from '../../activities/source-report';
import { idCheckChar } from '../../src/domain/rules/resident-id';
import { canonicalJson, parseMappingText } from '../../src/mapping/load-mapping';
import { createStreamContexts } from '../../src/pipeline-context';
import { createTestDatabase, testConfig, testLogger, tmpDir, type TestDatabase } from '../support/services';

const MAPPING = `city: { code: "430100", name: 长沙市 }
sources:
  - id: persons
    files: [persons.csv]
    format: csv
    tables:
      - entity: person
        columns: { name: 姓名, id_number: 身份证号, gender: { header: 性别, codes: gender } }
codes:
  gender: { 男: M, 女: F }
`;

const idOf = (n: number) => {
  const first17 = `43010219800101${String(2 * n - 1).padStart(3, '0')}`; // odd sequence: male
  return first17 + idCheckChar(first17);
};

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => tdb?.drop());

test('repeated keys get decisions, the only record of a key loads as the winner', async () => {
  const db = tdb.db;
  const dir = tmpDir('resolve-load');
  const file = path.join(dir, 'persons.csv');
  // rows 2–4: one key three times (two identical, one different: no timestamps → conflict);
  // rows 5–6: one key twice, identical → winner and duplicate; rows 7–8: keys of their own
  const lines = ['姓名,身份证号,性别', `张三,${idOf(1)},男`, `张三,${idOf(1)},男`, `张叁,${idOf(1)},男`, `李四,${idOf(2)},男`, `李四,${idOf(2)},男`, `王五,${idOf(3)},男`, `赵六 ,${idOf(4)},男`];
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const config = testConfig();
  const deps = { db, log: testLogger(), config };
  const loaded = parseMappingText(MAPPING, path.join(dir, '430100-test.yaml'));
  const [mv] = await db('pipeline.mapping_version')
    .insert({ city_code: '430100', mapping_name: `test-${crypto.randomUUID()}`, content_sha256: loaded.contentSha256, document: canonicalJson(loaded.mapping) })
    .returning('id');
  const mappingVersionId = mv.id as number;
  const reg = await createRegisterSource(deps)({ cityCode: '430100', sourceKey: 'test/persons.csv', path: file, format: 'csv', mappingVersionId });
  const landed = (await new MockActivityEnvironment().run(createLandSource(deps), { sourceFileId: reg.sourceFileId })) as LandSourceResult;
  const streamId = landed.streams[0]!.streamId;
  const ids = { streamId, sourceId: 'persons', mappingVersionId };
  const streamContext = createStreamContexts(db, config.provinceCode);
  const [batch] = await createPlanBatches(deps)({ streamId, batchRows: 100 });
  await createNormalizeBatch(deps, streamContext)({ ...ids, ...batch! });

  const loadBatch = createLoadBatch(deps, streamContext);
  await expect(loadBatch({ ...ids, ...batch! })).rejects.toThrow(/duplicates not resolved/);

  expect(await createResolveDuplicates(deps)(ids)).toEqual({ decided: 7 });
  const decisions = await db('pipeline.staged_record').where({ stream_id: streamId }).orderBy('row_no').pluck('decision');
  expect(decisions).toEqual(['conflict', 'conflict', 'conflict', 'winner', 'duplicate', null, null]);
  // a retried resolution decides the same
  expect(await createResolveDuplicates(deps)(ids)).toEqual({ decided: 7 });

  // staged and resolved, but the batch has not loaded: no row is loaded yet
  expect(await db('pipeline.row_outcomes').where({ stream_id: streamId }).count({ n: '*' }).first()).toEqual({ n: '0' });
  expect(await loadBatch({ ...ids, ...batch! })).toEqual({ loaded: 3, rejected: 3, duplicates: 1, superseded: 0, alreadyDone: false });
  // outcomes by exception: the new records loaded by the set-based path store no outcome
  expect(await db('pipeline.row_outcome').where({ stream_id: streamId }).orderBy('row_no').pluck('row_no')).toEqual([2, 3, 4, 6]);
  const outcomes = await db('pipeline.row_outcomes').where({ stream_id: streamId }).orderBy('row_no').select('row_no', 'outcome', 'codes');
  expect(outcomes).toEqual([
    { row_no: 2, outcome: 'rejected', codes: ['duplicate.conflict'] },
    { row_no: 3, outcome: 'rejected', codes: ['duplicate.conflict'] },
    { row_no: 4, outcome: 'rejected', codes: ['duplicate.conflict'] },
    { row_no: 5, outcome: 'loaded', codes: [] },
    { row_no: 6, outcome: 'duplicate', codes: [] },
    { row_no: 7, outcome: 'loaded', codes: [] },
    { row_no: 8, outcome: 'loaded', codes: [] },
  ]);
  const persons = await db('province.person').where({ stream_id: streamId }).orderBy('row_no').select('id_number', 'name', 'gender', 'birth_date', 'natural_key', 'content_hash', 'row_no', 'mapping_version_id');
  const staged = await db('pipeline.staged_record').where({ stream_id: streamId }).orderBy('row_no').select('row_no', 'content_hash', 'payload');
  expect(persons).toEqual(
    [5, 7, 8].map((rowNo) => {
      const s = staged.find((x: { row_no: number }) => x.row_no === rowNo)!;
      return { ...s.payload, natural_key: s.payload.id_number, content_hash: s.content_hash, row_no: rowNo, mapping_version_id: mappingVersionId };
    }),
  );
  expect(persons.find((p: { row_no: number }) => p.row_no === 8)!.name).toBe('赵六');
  // the stewards see a rejected row's normalized record as staged
  const reject = await db('pipeline.reject').where({ stream_id: streamId, row_no: 4 }).first('normalized');
  expect(reject.normalized).toEqual(staged.find((x: { row_no: number }) => x.row_no === 4)!.payload);
  expect(await db('pipeline.record_lineage').where({ stream_id: streamId }).orderBy('row_no').pluck('action')).toEqual(['insert', 'merge', 'insert', 'insert']);
  // lineage on the provincial row: the inserts are the records' own provenance, only the merge is stored
  expect(await db('pipeline.lineage').where({ stream_id: streamId }).select('row_no', 'action')).toEqual([{ row_no: 6, action: 'merge' }]);

  // read = loaded + rejected + skipped + duplicates, with the loaded rows derived
  const sourceReport = createSourceReport(deps);
  const report = await sourceReport({ sourceFileId: reg.sourceFileId, mappingVersionId, status: 'loaded' });
  expect(report.streams.map((r) => [r.landed, r.headerRows, r.read, r.loaded, r.rejected, r.skipped, r.duplicates])).toEqual([[8, 1, 7, 3, 3, 0, 1]]);
  // the derivation is no tautology: without the load's completion marker its rows are not
  // loaded, and the accounting no longer adds up
  await db('pipeline.load_batch').where({ stream_id: streamId, phase: 'load' }).delete();
  await expect(sourceReport({ sourceFileId: reg.sourceFileId, mappingVersionId, status: 'loaded' })).rejects.toThrow(/accounting does not add up \(landed 8, with an outcome 4: loaded 0 \+ rejected 3/);
});

/**
 * Steward fixes re-enter stage 2 through the city's steward desk workflow on the real Temporal
 * dev server and PostgreSQL: a fixed row loads and its reject is resolved with lineage to the fix
 * row; a fix that still fails stays open with the new reasons; "not a record" is counted as
 * skipped; a bulk code translation makes a new mapping version and reprocesses every match.
 */
import fs from 'node:fs';
import { Worker } from '@temporalio/worker';
import { actorOf, findAccount } from '../../src/steward/accounts';
import type { Actor } from '../../src/steward/roles';
import { markNotARecord, resubmit, saveFix, translateCode, viewReject, type WorkbenchDeps } from '../../src/steward/workbench';
import type { SourceReport } from '../../activities/source-report';
import { addTestAccounts, CHANGSHA, correctedId, firstReject, migrateCity, testWorkbench, UNMAPPED_RISK, writeStewardCities, ZHUZHOU } from '../browser/steward-fixture';
import { createTestDatabase, tmpDir, workflowBundle, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

let tdb: TestDatabase;
let temporal: TestTemporal;
let deps: WorkbenchDeps;
let dir: string;
let mappings: Record<string, string>;
let steward: Actor;

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  dir = tmpDir('steward-resubmit');
  mappings = await writeStewardCities(dir);
  await migrateCity(temporal, mappings[CHANGSHA]!, 'resubmit-cs');
  await migrateCity(temporal, mappings[ZHUZHOU]!, 'resubmit-zz');
  await addTestAccounts(tdb);
  deps = testWorkbench(tdb, temporal, dir);
  steward = actorOf((await findAccount(tdb.db, 'cs'))!);
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

/** The latest report of a city source (`<city>/<source id>/`), or of its steward fixes (`…/@steward`). */
const report = async (sourceKeyPrefix: string): Promise<SourceReport> => {
  const q = tdb.db('pipeline.source_report as r').join('landing.source_file as f', 'f.id', 'r.source_file_id').where('f.source_key', 'like', `${sourceKeyPrefix}%`);
  if (!sourceKeyPrefix.endsWith('@steward')) void q.whereNot('f.source_key', 'like', '%/@steward');
  const row = await q.orderBy('r.created_at', 'desc').first('r.report');
  return row.report as SourceReport;
};
const addsUp = (r: SourceReport) => r.streams.every((s) => s.read === s.loaded + s.rejected + s.skipped + s.duplicates);

test('a fixed person loads through the steward desk; the reject is resolved with lineage to the fix row', async () => {
  const before = await report(`${CHANGSHA}/persons/`);
  const r = await firstReject(tdb, CHANGSHA, 'id_number.checksum');
  const fixedId = correctedId(String(r.fields.id_number));

  const saved = await saveFix(deps, steward, r.id, { edits: { id_number: fixedId }, revision: r.revision });
  if (!saved.ok) throw new Error(saved.problem);
  expect(saved.value.revision).toBe(r.revision + 1);
  expect(saved.value.preview?.kind).toBe('record');

  const outcome = await resubmit(deps, steward, [r.id]);
  if (!outcome.ok) throw new Error(outcome.problem);
  expect(outcome.value).toMatchObject({ staged: 1, loaded: 1, rejected: 0, refused: [] });

  const reject = await tdb.db('pipeline.reject').where({ id: r.id }).first();
  expect(reject).toMatchObject({ status: 'resolved', attempts: 1, decided_by: 'user:cs' });
  expect(reject.resolution).toMatchObject({ naturalKey: fixedId, outcome: 'loaded' });
  // the fix row is a row of the steward fixes source, loaded into the province with lineage
  const fixFile = await tdb.db('landing.source_file').where({ id: reject.resolution.sourceFileId }).first();
  expect(fixFile).toMatchObject({ format: 'steward', source_key: `${CHANGSHA}/persons/@steward`, city_code: CHANGSHA });
  expect(await tdb.db('province.person').where({ id_number: fixedId }).first('stream_id')).toEqual({ stream_id: String(reject.resolution.streamId) });
  expect(await tdb.db('pipeline.record_lineage').where({ natural_key: fixedId, stream_id: reject.resolution.streamId, action: 'insert' }).first()).toBeTruthy();
  expect(await tdb.db('pipeline.reject_attempt').where({ reject_id: r.id }).first('outcome', 'settled_at')).toMatchObject({ outcome: 'loaded' });

  // the original row is superseded by its fix, and its source counts it as loaded (fixed): one
  // reject fewer, one loaded more, the duplicates as they were
  expect(await tdb.db('pipeline.row_outcome').where({ stream_id: reject.stream_id, row_no: reject.row_no }).first('outcome', 'codes')).toEqual({ outcome: 'superseded', codes: ['steward.fixed'] });
  const after = await report(`${CHANGSHA}/persons/`);
  expect(after.streams[0]!.rejected).toBe(before.streams[0]!.rejected - 1);
  expect(after.streams[0]!.loaded).toBe(before.streams[0]!.loaded + 1);
  expect(after.streams[0]!.fixed).toBe((before.streams[0]!.fixed ?? 0) + 1);
  expect(after.streams[0]!.duplicates).toBe(before.streams[0]!.duplicates);
  expect(after.streams[0]!.superseded).toBe(before.streams[0]!.superseded);
  expect(addsUp(after)).toBe(true);
  expect((await report(`${CHANGSHA}/persons/@steward`)).streams[0]).toMatchObject({ read: 1, loaded: 1 });

  const actions = (await tdb.db('pipeline.audit_log').where({ target: `reject:${r.id}` }).orderBy('id').pluck('action')) as string[];
  expect(actions).toEqual(['reject.fix', 'reject.resolved']);
  expect(await tdb.db('pipeline.audit_log').where({ action: 'reject.resubmit', actor: 'user:cs', city_code: CHANGSHA }).first()).toBeTruthy();
});

test('a fix that still fails stays open with its new reasons, once in the queue', async () => {
  const r = await firstReject(tdb, CHANGSHA, 'name.missing');
  const saved = await saveFix(deps, steward, r.id, { edits: { name: '王小明', id_number: '4301' }, revision: r.revision });
  if (!saved.ok) throw new Error(saved.problem);
  expect(saved.value.preview?.kind).toBe('rejected');
  const outcome = await resubmit(deps, steward, [r.id]);
  if (!outcome.ok) throw new Error(outcome.problem);
  expect(outcome.value).toMatchObject({ loaded: 0, rejected: 1, outcomes: [{ rejectId: r.id, outcome: 'rejected', codes: ['id_number.format'] }] });

  const reject = await tdb.db('pipeline.reject').where({ id: r.id }).first();
  expect(reject).toMatchObject({ status: 'open', codes: ['id_number.format'], attempts: 1, revision: r.revision + 2 });
  // the fix row's own reject is folded into this one
  const folded = await tdb.db('pipeline.reject').where({ stream_id: reject.resolution.lastAttempt.streamId }).first('id', 'status', 'resolution');
  expect(folded).toMatchObject({ status: 'attempt', resolution: { attemptOf: r.id } });
  const view = await viewReject(deps, steward, String(folded.id), { lang: 'zh' });
  expect(view.ok ? 200 : view.status).toBe(404);

  // resubmitting a closed reject is refused by the desk, not redone
  const again = await resubmit(deps, steward, [(await firstReject(tdb, CHANGSHA, 'id_number.birth_date')).id, '999999']);
  if (!again.ok) throw new Error(again.problem);
  expect(again.value.refused).toEqual([{ rejectId: '999999', why: 'not_found' }]);
});

test('"not a record" closes a reject with a justification and reports count it as skipped', async () => {
  const before = await report(`${CHANGSHA}/persons/`);
  const r = await firstReject(tdb, CHANGSHA, 'duplicate.conflict');
  expect((await markNotARecord(deps, steward, r.id, { justification: 'ok', revision: r.revision })).ok).toBe(false);
  const done = await markNotARecord(deps, steward, r.id, { justification: '与第一行重复录入，以第一行为准', revision: r.revision });
  expect(done).toEqual({ ok: true, value: { revision: r.revision + 1 } });
  const stale = await markNotARecord(deps, steward, r.id, { justification: '再次关闭这一行', revision: r.revision });
  expect(stale).toMatchObject({ ok: false, status: 409 });
  const after = await report(`${CHANGSHA}/persons/`);
  expect(after.streams[0]!.skipped).toBe(before.streams[0]!.skipped + 1);
  expect(after.streams[0]!.rejected).toBe(before.streams[0]!.rejected - 1);
  expect(after.streams[0]!.bySkip['skip.not_a_record']).toBe(1);
  expect(addsUp(after)).toBe(true);
});

test('a bulk code translation records a new mapping version and reprocesses every matching reject', async () => {
  const matching = (await tdb.db('pipeline.reject').where({ city_code: CHANGSHA, status: 'open', entity: 'employer' }).whereRaw("codes @> '{code.unmapped}'").pluck('id')) as string[];
  expect(matching).toHaveLength(3);
  // after the demo a city's newest mapping version is its funds or rates mapping, which has no
  // risk_xwalk: the translation still belongs in the mapping the rejects were read under
  const funds = { city: { code: CHANGSHA, name: '长沙市' }, sources: [{ id: 'funds', files: ['data/funds.csv'], format: 'csv', tables: [{ entity: 'fund_year', columns: { year: '年度' } }] }], codes: {} };
  fs.writeFileSync(`${dir}/${CHANGSHA}-changsha-funds.yaml`, `# 长沙市基金\n${JSON.stringify(funds)}\n`);
  await tdb.db('pipeline.mapping_version').insert({ city_code: CHANGSHA, mapping_name: `${CHANGSHA}-changsha-funds`, content_sha256: 'f'.repeat(64), document: JSON.stringify(funds) });
  const versions = Number((await tdb.db('pipeline.mapping_version').where({ city_code: CHANGSHA }).count('* as n').first())!.n);

  const other = await translateCode(deps, actorOf((await findAccount(tdb.db, 'zz'))!), { cityCode: CHANGSHA, table: 'risk_xwalk', raw: UNMAPPED_RISK, value: '2' });
  expect(other).toMatchObject({ ok: false, status: 403 });
  expect(fs.readFileSync(mappings[CHANGSHA]!, 'utf8')).not.toContain(UNMAPPED_RISK);
  expect(await translateCode(deps, steward, { cityCode: CHANGSHA, table: 'risk_xwalk', raw: UNMAPPED_RISK, value: '9' })).toMatchObject({ ok: false, status: 400 });

  const t = await translateCode(deps, steward, { cityCode: CHANGSHA, table: 'risk_xwalk', raw: UNMAPPED_RISK, value: '2' });
  if (!t.ok) throw new Error(t.problem);
  expect(t.value).toMatchObject({ changed: true, matched: 3, outcome: { loaded: 3, rejected: 0 } });
  const text = fs.readFileSync(mappings[CHANGSHA]!, 'utf8');
  expect(text).toMatch(/^# 长沙市/);
  expect(text).toContain(`${UNMAPPED_RISK}: "2"`);
  expect(Number((await tdb.db('pipeline.mapping_version').where({ city_code: CHANGSHA }).count('* as n').first())!.n)).toBe(versions + 1);
  expect(await tdb.db('pipeline.reject').whereIn('id', matching).pluck('status')).toEqual(['resolved', 'resolved', 'resolved']);
  expect((await tdb.db('province.employer').where({ risk_class: 2 }).count('* as n').first())!.n).toBe('3');
  const fixStreams = (await tdb.db('pipeline.reject_attempt').whereIn('reject_id', matching).distinct('mapping_version_id').pluck('mapping_version_id')) as number[];
  expect(fixStreams).toEqual([t.value.mappingVersionId]);
  expect(t.value.mappingName).toBe(`${CHANGSHA}-changsha`);
  expect(fs.readFileSync(`${dir}/${CHANGSHA}-changsha-funds.yaml`, 'utf8')).not.toContain(UNMAPPED_RISK);

  // the same translation again: no new version, nothing left to reprocess
  const again = await translateCode(deps, steward, { cityCode: CHANGSHA, table: 'risk_xwalk', raw: UNMAPPED_RISK, value: '2' });
  expect(again).toMatchObject({ ok: true, value: { changed: false, matched: 0, mappingVersionId: t.value.mappingVersionId } });
});

test("the city's steward desk replays its history deterministically", async () => {
  const history = await temporal.client.workflow.getHandle(`steward-desk-${temporal.taskQueues.main}/${CHANGSHA}`).fetchHistory();
  // the four resubmissions of the tests above, one run
  expect(history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length).toBe(4);
  await expect(Worker.runReplayHistory({ workflowBundle: { codePath: workflowBundle() } }, history)).resolves.toBeUndefined();
});

/**
 * Operating a province run: pause stops new batches within seconds and resume continues where it
 * stopped; a long run continues as new and ends exactly as an uninterrupted one; a cancellation
 * reaches the cities; too many rejects stop a city before it loads anything.
 */
import { WorkflowFailedError } from '@temporalio/client';
import type { CityProgress } from '../../workflows/city-migration';
import { cityWorkflowId, provinceMigration, provinceProgressQuery, type ProvinceMigrationInput } from '../../workflows/province-migration';
import { pauseSignal, resumeSignal } from '../../workflows/signals';
import { sleep } from '../../src/services/ports';
import { saveHistory } from '../replay/record';
import { provincialSnapshot } from '../support/provincial-snapshot';
import { writeProvince, type ProvinceFixture } from '../support/province-fixture';
import { createTestDatabase, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

interface Env {
  tdb: TestDatabase;
  temporal: TestTemporal;
}
const envs: Env[] = [];
async function env(): Promise<Env> {
  const tdb = await createTestDatabase();
  const e = { tdb, temporal: await startTestWorkers(tdb.db) };
  envs.push(e);
  return e;
}
afterAll(async () => {
  for (const e of envs) {
    await e.temporal.close();
    await e.tdb.drop();
  }
});

const start = (e: Env, fx: ProvinceFixture, workflowId: string, extra: Partial<ProvinceMigrationInput> = {}) =>
  e.temporal.client.workflow.start(provinceMigration, {
    workflowId,
    taskQueue: e.temporal.taskQueues.main,
    args: [{ manifestPath: fx.manifestPath, taskQueues: e.temporal.taskQueues, ...extra }],
  });

const markers = async (e: Env): Promise<number> => Number(((await e.tdb.db('pipeline.load_batch').count('* as n').first()) as { n: string }).n);

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('pause stops new batches within seconds; resume continues from where it stopped', async () => {
  const e = await env();
  const fx = await writeProvince(tmpDir('pause'), { cities: [{ code: '430100', name: '长沙市', rows: 3000, seed: 3 }], batchRows: 60, concurrency: { batches: 1 } });
  const handle = await start(e, fx, 'province-pause', { startPaused: true });
  const city = e.temporal.client.workflow.getHandle(cityWorkflowId('province-pause', '430100'));

  // started paused: no city starts
  await sleep(1500);
  expect(await handle.query(provinceProgressQuery)).toMatchObject({ paused: true, cities: [{ status: 'waiting' }] });
  expect(await markers(e)).toBe(0);

  await handle.signal(resumeSignal);
  await waitFor('some batches', async () => ((await markers(e)) >= 4 ? true : undefined));
  await handle.signal(pauseSignal);
  const pausedAt = Date.now();
  await waitFor('the pause to reach the city', async () => ((await city.query<CityProgress>('progress')).paused ? true : undefined));
  // the batch in flight may finish; after that nothing new starts
  await sleep(2000);
  const settled = await markers(e);
  await sleep(3000);
  expect(await markers(e)).toBe(settled);
  expect(Date.now() - pausedAt).toBeLessThan(10_000);
  const progress = await handle.query(provinceProgressQuery);
  expect(progress).toMatchObject({ paused: true, stage: 'cities' });
  const source = (await city.query<CityProgress>('progress')).sources[0]!;
  expect(source.batchesDone).toBeLessThan(source.batchesTotal);

  await handle.signal(resumeSignal);
  const summary = await handle.result();
  expect(summary.totals.read).toBe(summary.totals.loaded + summary.totals.rejected + summary.totals.skipped + summary.totals.duplicates);
  expect(summary.totals.read).toBe(3000 + 2 /* the title lines */);
  // every batch ran exactly once: two markers (normalize, load) per batch of the stream
  const done = (await city.query<CityProgress>('progress')).sources[0]!;
  expect(done).toMatchObject({ stage: 'done', batchesDone: done.batchesTotal, rowsLoaded: done.rowsTotal });
  expect(await markers(e)).toBe(done.batchesTotal);
});

test('a run that continues as new ends exactly as one that does not', async () => {
  const [plain, renewed] = [await env(), await env()];
  const cities = [
    { code: '430100', name: '长沙市', rows: 400, seed: 21 },
    { code: '430200', name: '株洲市', rows: 300, seed: 22 },
    { code: '430300', name: '湘潭市', rows: 100, seed: 23 },
  ];
  const fx = await writeProvince(tmpDir('renew'), { cities, moved: 10, batchRows: 40, concurrency: { cities: 1 } });
  const expected = await (await start(plain, fx, 'province-plain')).result();
  const handle = await start(renewed, fx, 'province-renewed', { maxHistoryEvents: 36 });
  const summary = await handle.result();
  expect(summary.totals).toEqual(expected.totals);
  expect(summary.crossCity).toEqual(expected.crossCity);
  expect(await provincialSnapshot(renewed.tdb.db)).toEqual(await provincialSnapshot(plain.tdb.db));

  // both the province and its cities did continue as new
  for (const id of ['province-renewed', cityWorkflowId('province-renewed', '430100')]) {
    const runs = [];
    for await (const w of renewed.temporal.client.workflow.list({ query: `WorkflowId = '${id}'` })) runs.push(w.runId);
    expect(runs.length).toBeGreaterThan(1);
  }
  await saveHistory(renewed.temporal.client, 'province-renewed', 'province-continued-as-new', handle.firstExecutionRunId);
  await saveHistory(renewed.temporal.client, cityWorkflowId('province-renewed', '430100'), 'city-resumed-after-continue-as-new');
});

test('a cancellation stops the province and its running cities', async () => {
  const e = await env();
  const fx = await writeProvince(tmpDir('cancel'), { cities: [{ code: '430100', name: '长沙市', rows: 3000, seed: 5 }], batchRows: 100, concurrency: { batches: 1 } });
  const handle = await start(e, fx, 'province-cancel');
  const city = e.temporal.client.workflow.getHandle(cityWorkflowId('province-cancel', '430100'));
  await waitFor('some batches', async () => ((await markers(e)) >= 2 ? true : undefined));
  await handle.cancel();
  await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
  expect((await handle.describe()).status.name).toBe('CANCELLED');
  await waitFor('the city to stop', async () => ((await city.describe()).status.name === 'CANCELLED' ? true : undefined));
});

test('a city over its reject threshold fails before loading; the others complete and the run says which failed', async () => {
  const e = await env();
  const fx = await writeProvince(tmpDir('threshold'), {
    cities: [
      { code: '430100', name: '长沙市', rows: 200, seed: 31, defectEvery: 0 },
      { code: '430200', name: '株洲市', rows: 200, seed: 32, defectEvery: 2 },
    ],
    rejectThreshold: { percent: 5 },
  });
  const handle = await start(e, fx, 'province-threshold');
  const err = await handle.result().catch((x: unknown) => x);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect(String((err as WorkflowFailedError).cause?.message)).toMatch(/1 of 2 cities failed .*430200 株洲市: .*rows rejected, over the threshold/);
  const progress = await handle.query(provinceProgressQuery);
  expect(progress.cities.map((c) => c.status)).toEqual(['done', 'failed']);
  // nothing of the failed city was loaded
  const loaded = await e.tdb.db('pipeline.row_outcomes as o').join('landing.stream as s', 's.id', 'o.stream_id').join('landing.source_file as f', 'f.id', 's.source_file_id').where({ 'f.city_code': '430200', 'o.outcome': 'loaded' }).count('* as n').first();
  expect(Number((loaded as { n: string }).n)).toBe(0);
  const { n } = (await e.tdb.db('province.person').count('* as n').first()) as { n: string };
  expect(Number(n)).toBe(200);
});

test('bad input fails at once, typed, without retries', async () => {
  const e = envs[0] ?? (await env());
  const missing = e.temporal.client.workflow.execute(provinceMigration, {
    workflowId: 'province-no-manifest',
    taskQueue: e.temporal.taskQueues.main,
    args: [{ manifestPath: '/nowhere/province.yaml', taskQueues: e.temporal.taskQueues }],
  });
  const err = (await missing.catch((x: unknown) => x)) as WorkflowFailedError;
  expect(err).toBeInstanceOf(WorkflowFailedError);
  // the activity's failure, typed and not retried
  const cause = err.cause as { cause?: { type?: string; message?: string } };
  expect(cause.cause).toMatchObject({ type: 'InvalidManifest', message: expect.stringContaining('/nowhere/province.yaml') });
  const history = await e.temporal.client.workflow.getHandle('province-no-manifest').fetchHistory();
  const attempts = history.events!.filter((ev) => ev.activityTaskStartedEventAttributes).map((ev) => ev.activityTaskStartedEventAttributes!.attempt);
  expect(attempts).toEqual([1]);

  const fx = await writeProvince(tmpDir('unknown-city'), { cities: [{ code: '430100', name: '长沙市', rows: 10, seed: 1 }] });
  const unknown = await start(e, fx, 'province-unknown-city', { onlyCities: ['430900'] });
  await expect(unknown.result()).rejects.toMatchObject({ cause: { type: 'InvalidManifest', message: 'not cities of the manifest: 430900' } });
});

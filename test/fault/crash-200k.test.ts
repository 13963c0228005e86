/**
 * The crash test of the foundation: a 200,000-row city file, the worker process SIGKILLed while
 * the rows are being loaded, a new worker started. The workflow finishes with exactly the rows of
 * an uninterrupted run — and, for a 100,000-row mysqldump killed mid-landing, every tuple lands
 * exactly once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TASK_QUEUES } from '../../src/config';
import { writePersonsCsv } from '../../src/demo/persons-file';
import { sleep } from '../../src/services/ports';
import { cityMigration, type CityReport } from '../../workflows/city-migration';
import { provincialSnapshot } from '../support/provincial-snapshot';
import { createTestDatabase, tmpDir, workflowBundle, type TestDatabase } from '../support/services';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';
import { startTestWorkers } from '../support/workers';
import { dedicatedTemporal } from './fault-support';
import { writeMysqlDump } from '../../bench/fixtures';

const ROWS = 200_000;
/** the dump only has to be large enough to be killed mid-landing */
const DUMP_ROWS = 100_000;
const DEMO_MAPPING = path.resolve(__dirname, '../../mappings/demo/430100-changsha.yaml');

async function waitFor(db: TestDatabase['db'], sql: string, atLeast: number, timeoutMs = 400_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = (await db.raw(sql)) as { rows: { n: number }[] };
    if (rows[0]!.n >= atLeast) return rows[0]!.n;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${sql} ≥ ${atLeast}`);
    await sleep(100);
  }
}

/** Runs `mapping` on a worker process that is killed once `killWhen` (a count query) reaches `atLeast`. */
async function runWithCrash(mapping: string, killWhen: string, atLeast: number) {
  const temporal = await dedicatedTemporal();
  const tdb = await createTestDatabase();
  const env = { DATABASE_URL: tdb.url, TEMPORAL_ADDRESS: temporal.server.address, TONGCHOU_WORKFLOW_BUNDLE: workflowBundle(), TONGCHOU_DATA_DIR: tmpDir('worker') };
  const workers: WorkerProcess[] = [];
  try {
    workers.push(await spawnWorker(env));
    const handle = await temporal.client.workflow.start(cityMigration, {
      workflowId: 'crash-200k',
      taskQueue: TASK_QUEUES.main,
      args: [{ mappingPath: mapping, taskQueues: TASK_QUEUES, batchRows: 20_000 }],
    });
    const seen = await waitFor(tdb.db, killWhen, atLeast);
    workers[0]!.kill('SIGKILL');
    expect(await workers[0]!.exited).toEqual({ code: null, signal: 'SIGKILL' });
    workers.push(await spawnWorker(env));
    const report = await handle.result();
    return { report, tdb, seen, snapshot: await provincialSnapshot(tdb.db), temporal };
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
  }
}

async function runUndisturbed(mapping: string): Promise<{ report: CityReport; snapshot: Awaited<ReturnType<typeof provincialSnapshot>> }> {
  const tdb = await createTestDatabase();
  const temporal = await startTestWorkers(tdb.db);
  try {
    const report = await temporal.client.workflow.execute(cityMigration, {
      workflowId: `undisturbed-${temporal.taskQueues.main}`,
      taskQueue: temporal.taskQueues.main,
      args: [{ mappingPath: mapping, taskQueues: temporal.taskQueues, batchRows: 20_000 }],
    });
    return { report, snapshot: await provincialSnapshot(tdb.db) };
  } finally {
    await temporal.close();
    await tdb.drop();
  }
}

test('a worker killed while a 200,000-row file loads: the run ends with exactly the rows of an undisturbed run', async () => {
  const dir = tmpDir('crash');
  fs.mkdirSync(path.join(dir, 'data', '430100'), { recursive: true });
  fs.copyFileSync(DEMO_MAPPING, path.join(dir, '430100-changsha.yaml'));
  await writePersonsCsv(path.join(dir, 'data', '430100', 'persons.csv'), { rows: ROWS, seed: 99, regionCodes: ['430102', '430103', '430104'], cityName: '长沙市' });
  const mapping = path.join(dir, '430100-changsha.yaml');

  const expected = await runUndisturbed(mapping);
  // killed once the first batches are normalized: landed, part normalized, nothing loaded yet
  const crashed = await runWithCrash(mapping, "SELECT count(*)::int AS n FROM pipeline.load_batch WHERE phase = 'normalize'", 2);
  try {
    expect(crashed.seen).toBeLessThan(11); // 11 batches of 20,000 rows: it really was mid-file
    expect(crashed.report.sources[0]!.streams).toEqual(expected.report.sources[0]!.streams);
    expect(crashed.snapshot).toEqual(expected.snapshot);
    const [stream] = crashed.report.sources[0]!.streams;
    expect(stream!.read).toBe(stream!.loaded + stream!.rejected + stream!.skipped + stream!.duplicates);
    expect(stream!.landed).toBe(ROWS + 3);
  } finally {
    await crashed.temporal.close();
    await crashed.tdb.drop();
  }
}, 600_000);

test('a worker killed while a 100,000-row mysqldump lands: every tuple lands exactly once', async () => {
  const dir = tmpDir('crash-dump');
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  await writeMysqlDump(path.join(dir, 'data', 'persons.sql'), DUMP_ROWS);
  fs.writeFileSync(
    path.join(dir, '430100-dump.yaml'),
    `city: { code: "430100", name: 长沙市 }
sources:
  - id: legacy
    files: [data/persons.sql]
    format: mysqldump
    tables:
      - stream: persons
        entity: person
        columns:
          name: { column: name }
          id_number: { column: id_number }
          gender: { column: gender, codes: gender }
        ignore: [id, birth_date]
codes:
  gender: { 男: M, 女: F }
`,
  );
  const crashed = await runWithCrash(path.join(dir, '430100-dump.yaml'), 'SELECT count(*)::int AS n FROM landing.landing_chunk', 2);
  try {
    const { rows } = (await crashed.tdb.db.raw(
      'SELECT count(*)::int AS n, count(DISTINCT row_no)::int AS distinct_rows, min(row_no)::int AS lo, max(row_no)::int AS hi FROM landing.raw_row',
    )) as { rows: { n: number; distinct_rows: number; lo: number; hi: number }[] };
    expect(rows[0]).toEqual({ n: DUMP_ROWS, distinct_rows: DUMP_ROWS, lo: 1, hi: DUMP_ROWS });
    const [stream] = crashed.report.sources[0]!.streams;
    // random synthetic IDs collide now and then: those rows are duplicates or conflicts, not lost
    expect(stream).toMatchObject({ landed: DUMP_ROWS, read: DUMP_ROWS, skipped: 0 });
    expect(stream!.loaded + stream!.rejected + stream!.duplicates).toBe(DUMP_ROWS);
    expect(stream!.loaded).toBeGreaterThan(DUMP_ROWS * 0.99);
    const { n } = (await crashed.tdb.db('province.person').count('* as n').first()) as { n: string };
    expect(Number(n)).toBe(stream!.loaded);
  } finally {
    await crashed.temporal.close();
    await crashed.tdb.drop();
  }
}, 600_000);

/**
 * Two databases, one set of task queues: workers and clients whose DATABASE_URL differs from the
 * live workers' refuse at start, and an activity whose worker is on another database than the one
 * its workflow was started on fails at once, non-retryably, having written nothing — on the real
 * Temporal dev server and PostgreSQL.
 */
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { databaseIdInterceptors, databaseIdOf } from '../../src/db/identity';
import { startRuntime } from '../../src/runtime';
import { startWorkers, type RunningWorkers } from '../../src/worker';
import { cityMigration } from '../../workflows/city-migration';
import { CHANGSHA, writeStewardCities } from '../browser/steward-fixture';
import { createTestDatabase, temporalAddress, testConfig, testLogger, tmpDir, workflowBundle, type TestDatabase } from '../support/services';
import { uniqueQueues } from '../support/workers';

let a: TestDatabase;
let b: TestDatabase;
let connection: Connection;
let mapping: string;
const running: RunningWorkers[] = [];

beforeAll(async () => {
  [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  connection = await Connection.connect({ address: temporalAddress() });
  mapping = (await writeStewardCities(tmpDir('db-identity')))[CHANGSHA]!;
});

afterAll(async () => {
  for (const w of running) await w.shutdown();
  await connection?.close();
  await a?.drop();
  await b?.drop();
});

const workersOn = async (tdb: TestDatabase, taskQueues: { main: string; extract: string }) => {
  const w = await startWorkers({ address: temporalAddress(), namespace: 'default', deps: { db: tdb.db, log: testLogger(), config: testConfig() }, workflowBundlePath: workflowBundle(), taskQueues, shutdownGraceTime: '2 seconds' });
  running.push(w);
  return w;
};

/** Rows in every table of the database: what "wrote nothing" is checked against. */
async function rowCounts(tdb: TestDatabase): Promise<Record<string, number>> {
  const tables = (await tdb.db.raw(`SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema IN ('landing', 'pipeline', 'province', 'steward', 'public') ORDER BY 1`)) as { rows: { t: string }[] };
  const counts: Record<string, number> = {};
  for (const { t } of tables.rows) counts[t] = Number(((await tdb.db.raw(`SELECT count(*) AS n FROM ${t}`)) as { rows: { n: string }[] }).rows[0]!.n);
  return counts;
}

test('each database has its own identity, made by the migration', async () => {
  const [idA, idB] = await Promise.all([databaseIdOf(a.db), databaseIdOf(b.db)]);
  expect(idA).toMatch(/^[0-9a-f-]{36}$/);
  expect(idB).not.toBe(idA);
});

test('a worker or a client with another DATABASE_URL than the live workers of its task queues refuses to start', async () => {
  const queues = uniqueQueues();
  await workersOn(a, queues);
  const idA = await databaseIdOf(a.db);
  const idB = await databaseIdOf(b.db);
  await expect(workersOn(b, queues)).rejects.toThrow(new RegExp(`refusing to start the worker: task queue ${queues.main} is polled by worker \\S+ on database ${idA}, but this worker's DATABASE_URL is database ${idB}`));
  const config = testConfig({ databaseUrl: b.url, temporalAddress: temporalAddress() });
  await expect(startRuntime(config, testLogger(), { withWorkers: false, taskQueues: queues })).rejects.toThrow(/refusing to start the client: .* on database .*, but this client's DATABASE_URL is database/);
  // the same database is welcome: a second worker and a client on database A start
  await workersOn(a, queues);
  const rt = await startRuntime(testConfig({ databaseUrl: a.url, temporalAddress: temporalAddress() }), testLogger(), { withWorkers: false, taskQueues: queues });
  await rt.close();
});

test('a run started on one database, picked up by a worker on another, fails at its first activity and writes nothing there', async () => {
  const idA = await databaseIdOf(a.db);
  const client = new Client({ connection, namespace: 'default', interceptors: databaseIdInterceptors(idA) });

  // the right worker: the header travels to every activity and the city loads
  const good = uniqueQueues();
  await workersOn(a, good);
  await client.workflow.execute(cityMigration, { workflowId: `db-identity-ok-${good.main}`, taskQueue: good.main, args: [{ mappingPath: mapping, taskQueues: good, batchRows: 25 }] });
  expect(Number((await a.db('province.person').count('* as n').first())!.n)).toBeGreaterThan(0);

  // the wrong one: only a worker on database B polls these queues
  const wrong = uniqueQueues();
  await workersOn(b, wrong);
  const before = await rowCounts(b);
  const err = await client.workflow
    .execute(cityMigration, { workflowId: `db-identity-wrong-${wrong.main}`, taskQueue: wrong.main, args: [{ mappingPath: mapping, taskQueues: wrong, batchRows: 25 }] })
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const causes: string[] = [];
  for (let e: unknown = err; e instanceof Error; e = e.cause) causes.push(e.message);
  expect(causes.join('\n')).toMatch(new RegExp(`the workflow was started on database ${idA}, but this worker's DATABASE_URL is database ${await databaseIdOf(b.db)}; nothing was written`));
  expect(await rowCounts(b)).toEqual(before);
});

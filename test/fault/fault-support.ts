/**
 * What the fault tests share: a province small enough to run in seconds, the snapshot of an
 * undisturbed run to compare with, and gates that stop a run at an exact point — a trigger that,
 * once its condition holds, waits for an advisory lock the test holds. The test then kills what
 * it means to kill while the work is provably in flight, and opens the gate.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { TASK_QUEUES } from '../../src/config';
import type { Db } from '../../src/db/knex';
import { findTemporalCli, startDevServer } from '../../src/services/temporal';
import { sleep } from '../../src/services/ports';
import { provinceMigration, type ProvinceMigrationInput } from '../../workflows/province-migration';
import type { ProvinceSummary } from '../../src/report/province-report';
import { provincialSnapshot, type Snapshot } from '../support/provincial-snapshot';
import { writeProvince, type ProvinceFixture } from '../support/province-fixture';
import { createTestDatabase, tmpDir, workflowBundle } from '../support/services';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';
import { startTestWorkers } from '../support/workers';

/** Two cities and the people who moved between them; cities one at a time, so that every run —
 * disturbed or not — loads in the same order and leaves the same rows. */
export function faultProvince(): Promise<ProvinceFixture> {
  return writeProvince(tmpDir('fault'), {
    cities: [
      { code: '430100', name: '长沙市', rows: 1200, seed: 41 },
      { code: '430200', name: '株洲市', rows: 600, seed: 42 },
    ],
    moved: 20,
    batchRows: 100,
    concurrency: { cities: 1, sources: 1, batches: 2 },
  });
}

/** Landing commits every 200 rows, so a landing has checkpoints to resume from. */
export const FAULT_RUN: Partial<ProvinceMigrationInput> = { landChunkRows: 200 };

type Undisturbed = { snapshot: Snapshot; summary: ProvinceSummary };

/** The provincial tables after an undisturbed run of the fault province (own database, own
 * workers) — computed once per test run and shared by the fault tests through a file. */
export async function undisturbedSnapshot(fx: ProvinceFixture): Promise<Undisturbed> {
  const cache = path.join(process.env.TONGCHOU_TEST_RUN_DIR ?? tmpDir('fault'), 'fault-province-undisturbed.json');
  if (fs.existsSync(cache)) return JSON.parse(fs.readFileSync(cache, 'utf8')) as Undisturbed;
  const result = await runUndisturbed(fx);
  const tmp = `${cache}.${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(result));
  fs.renameSync(tmp, cache);
  return result;
}

async function runUndisturbed(fx: ProvinceFixture): Promise<Undisturbed> {
  const tdb = await createTestDatabase();
  const temporal = await startTestWorkers(tdb.db);
  try {
    const summary = await temporal.client.workflow.execute(provinceMigration, {
      workflowId: `undisturbed/${temporal.taskQueues.main}`,
      taskQueue: temporal.taskQueues.main,
      args: [{ manifestPath: fx.manifestPath, taskQueues: temporal.taskQueues, ...FAULT_RUN }],
    });
    return { snapshot: await provincialSnapshot(tdb.db), summary };
  } finally {
    await temporal.close();
    await tdb.drop();
  }
}

/** A Temporal dev server of the test's own: its workers may use the production task queue names. */
export async function dedicatedTemporal(opts: { dbFile?: string; port?: number; uiPort?: number } = {}) {
  const server = await startDevServer({ cliPath: findTemporalCli({ temporalCliPath: process.env.TEMPORAL_CLI_PATH }), headless: true, ...opts });
  const connection = await Connection.connect({ address: server.address });
  return {
    server,
    client: new Client({ connection, namespace: 'default' }),
    async close() {
      await connection.close();
      await server.stop();
    },
  };
}

export interface Gate {
  /** resolves once some transaction waits at the gate */
  reached(timeoutMs?: number): Promise<void>;
  /** opens the gate (once; later calls do nothing) */
  open(): Promise<void>;
}

let nextGate = 7_000;

/**
 * A gate on inserts into `table`: an insert for which `condition` (SQL over NEW) holds waits until
 * the gate opens. The wait is inside the inserting transaction, so a worker killed meanwhile
 * commits nothing of it.
 */
export async function gate(db: Db, url: string, table: string, condition: string): Promise<Gate> {
  const key = nextGate++;
  const name = `fault_gate_${key}`;
  const holder = new PgClient({ connectionString: url });
  holder.on('error', () => undefined); // a restarted server cuts it off, which opens the gate too
  await holder.connect();
  await holder.query('SELECT pg_advisory_lock($1)', [key]);
  await db.raw(`CREATE FUNCTION public.${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF ${condition} THEN PERFORM pg_advisory_xact_lock(${key}); END IF; RETURN NEW; END $$`);
  await db.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION public.${name}()`);
  let opened = false;
  return {
    async reached(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // advisory locks are per database, and every test file numbers its gates from the same
        // start: without the database filter a gate of a test running beside this one counts
        const { rows } = (await db.raw(
          "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = ? AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
          [key],
        )) as { rows: { n: number }[] };
        if (rows[0]!.n > 0) return;
        if (Date.now() > deadline) throw new Error(`nothing reached the gate on ${table} within ${timeoutMs} ms`);
        await sleep(50);
      }
    },
    async open() {
      if (opened) return;
      opened = true;
      // ending the session releases the lock — first, as dropping the trigger waits for those waiting in it
      await holder.end().catch(() => undefined);
      await db.raw(`DROP TRIGGER ${name} ON ${table}`);
    },
  };
}

/**
 * A worker process stopped while the run waits at a gate — `stop` does it (and may open the
 * gate) — then a new worker, the gate open: the run must complete and leave exactly the rows of an
 * undisturbed run. Workers are `tongchou worker` unless `worker.args` says otherwise.
 */
export async function interruptWorkerAt(
  table: string,
  condition: string,
  stop: (first: WorkerProcess, gate: Gate, db: Db) => Promise<void>,
  worker: { args?: string[]; bundle?: string } = {},
): Promise<void> {
  const fx = await faultProvince();
  const [expected, temporal, tdb] = await Promise.all([undisturbedSnapshot(fx), dedicatedTemporal(), createTestDatabase()]);
  const env = { DATABASE_URL: tdb.url, TEMPORAL_ADDRESS: temporal.server.address, TONGCHOU_WORKFLOW_BUNDLE: worker.bundle ?? workflowBundle(), TONGCHOU_DATA_DIR: tmpDir('worker') };
  const workers: WorkerProcess[] = [];
  try {
    const g = await gate(tdb.db, tdb.url, table, condition);
    workers.push(await spawnWorker(env, { args: worker.args }));
    const handle = await temporal.client.workflow.start(provinceMigration, {
      workflowId: 'province-under-fault',
      taskQueue: TASK_QUEUES.main,
      args: [{ manifestPath: fx.manifestPath, taskQueues: TASK_QUEUES, ...FAULT_RUN }],
    });
    await g.reached();
    await stop(workers[0]!, g, tdb.db);
    workers.push(await spawnWorker(env, { args: worker.args }));
    await g.open();

    const summary = await handle.result();
    expect(summary.totals).toEqual(expected.summary.totals);
    expect(summary.crossCity).toEqual(expected.summary.crossCity);
    expect(await provincialSnapshot(tdb.db)).toEqual(expected.snapshot);
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await temporal.close();
    await tdb.drop();
  }
}

/** SIGKILL: the work in flight dies with the worker and is retried once its heartbeat times out. */
export function killWorkerAt(table: string, condition: string): Promise<void> {
  return interruptWorkerAt(table, condition, async (first) => {
    first.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });
}

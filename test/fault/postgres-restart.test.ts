/**
 * PostgreSQL restarts while a source loads: the batch in flight is cut off and rolled back, every
 * activity retries with backoff until the database is back, and the run ends as an undisturbed one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createDb } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';
import { freePort } from '../../src/services/ports';
import { startWorkers } from '../../src/worker';
import { provinceMigration } from '../../workflows/province-migration';
import { provincialSnapshot } from '../support/provincial-snapshot';
import { temporalAddress, testConfig, testLogger, tmpDir, workflowBundle } from '../support/services';
import { uniqueQueues } from '../support/workers';
import { faultProvince, FAULT_RUN, gate, undisturbedSnapshot } from './fault-support';
import { startPostgresProcess } from './postgres-process';

test('PostgreSQL restarted during a load: the run completes with exactly the rows of an undisturbed run', async () => {
  const fx = await faultProvince();
  const expected = await undisturbedSnapshot(fx);

  const dir = tmpDir('pg-restart');
  fs.chmodSync(dir, 0o755); // the embedded server runs as the postgres user when we are root
  const dataDir = path.join(dir, 'pg');
  const port = await freePort();
  let pg = await startPostgresProcess(dataDir, port);
  const db = createDb(pg.url);
  const taskQueues = uniqueQueues();
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection, namespace: 'default' });
  let workers;
  try {
    await migrateLatest(db);
    workers = await startWorkers({
      address: temporalAddress(),
      namespace: 'default',
      deps: { db, log: testLogger(), config: testConfig() },
      workflowBundlePath: workflowBundle(),
      taskQueues,
      shutdownGraceTime: '5 seconds',
    });
    // the fourth load batch waits, its provincial rows written but not committed, when the server goes down
    const g = await gate(db, pg.url, 'pipeline.load_batch', "NEW.phase = 'load' AND (SELECT count(*) FROM pipeline.load_batch WHERE phase = 'load') >= 3");
    const handle = await client.workflow.start(provinceMigration, {
      workflowId: `pg-restart/${taskQueues.main}`,
      taskQueue: taskQueues.main,
      args: [{ manifestPath: fx.manifestPath, taskQueues, ...FAULT_RUN }],
    });
    await g.reached();
    await pg.stop();
    pg = await startPostgresProcess(dataDir, port);
    await g.open();

    const summary = await handle.result();
    expect(summary.totals).toEqual(expected.summary.totals);
    expect(await provincialSnapshot(db)).toEqual(expected.snapshot);
  } finally {
    await workers?.shutdown();
    await connection.close();
    await db.destroy();
    await pg.stop();
  }
}, 300_000); // generous: the suite may share a busy machine

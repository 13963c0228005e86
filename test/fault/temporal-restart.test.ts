/**
 * The Temporal server restarts (same SQLite file) in the middle of a run: workers and client
 * reconnect, activities that finished while it was down are reported or retried, and the run
 * ends as an undisturbed one.
 */
import path from 'node:path';
import { freePort } from '../../src/services/ports';
import { startWorkers } from '../../src/worker';
import { provinceMigration } from '../../workflows/province-migration';
import { provincialSnapshot } from '../support/provincial-snapshot';
import { createTestDatabase, testConfig, testLogger, tmpDir, workflowBundle } from '../support/services';
import { uniqueQueues } from '../support/workers';
import { dedicatedTemporal, faultProvince, FAULT_RUN, gate, undisturbedSnapshot } from './fault-support';

test('the Temporal server restarted during a run: the run completes with exactly the rows of an undisturbed run', async () => {
  const fx = await faultProvince();
  const expected = await undisturbedSnapshot(fx);

  const where = { dbFile: path.join(tmpDir('temporal-restart'), 'temporal.sqlite'), port: await freePort(), uiPort: await freePort() };
  let temporal = await dedicatedTemporal(where);
  const tdb = await createTestDatabase();
  const taskQueues = uniqueQueues();
  const workers = await startWorkers({
    address: temporal.server.address,
    namespace: 'default',
    deps: { db: tdb.db, log: testLogger(), config: testConfig() },
    workflowBundlePath: workflowBundle(),
    taskQueues,
    shutdownGraceTime: '5 seconds',
  });
  try {
    // the fourth normalized batch waits in the database while the server goes down and comes back
    const g = await gate(tdb.db, tdb.url, 'pipeline.load_batch', "NEW.phase = 'normalize' AND (SELECT count(*) FROM pipeline.load_batch WHERE phase = 'normalize') >= 3");
    await temporal.client.workflow.start(provinceMigration, {
      workflowId: 'temporal-restart',
      taskQueue: taskQueues.main,
      args: [{ manifestPath: fx.manifestPath, taskQueues, ...FAULT_RUN }],
    });
    await g.reached();
    await temporal.close();
    await g.open();
    temporal = await dedicatedTemporal(where);

    const summary = await temporal.client.workflow.getHandle('temporal-restart').result();
    expect(summary.totals).toEqual(expected.summary.totals);
    expect(await provincialSnapshot(tdb.db)).toEqual(expected.snapshot);
  } finally {
    await workers.shutdown();
    await temporal.close();
    await tdb.drop();
  }
}, 300_000); // generous: the suite may share a busy machine

/**
 * The production worker (src/worker-main.ts): it runs from a pre-built workflow bundle, and SIGTERM
 * shuts it down gracefully — the batch it is in the middle of commits with its marker before the
 * process exits, and another worker carries the run to its end.
 */
import path from 'node:path';
import { TASK_QUEUES } from '../../src/config';
import { sleep } from '../../src/services/ports';
import { buildWorkflowBundle } from '../../src/workflow-bundle';
import { provinceMigration } from '../../workflows/province-migration';
import { dedicatedTemporal, faultProvince, FAULT_RUN, gate, undisturbedSnapshot } from '../fault/fault-support';
import { provincialSnapshot } from '../support/provincial-snapshot';
import { createTestDatabase, tmpDir } from '../support/services';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';

const WORKER_MAIN = path.resolve(__dirname, '..', '..', 'src', 'worker-main.ts');

test('SIGTERM lets the running batch commit; the production worker exits cleanly and another finishes the run', async () => {
  const fx = await faultProvince();
  // what `npm run build:workflows` makes
  const [bundle, expected, temporal, tdb] = await Promise.all([
    buildWorkflowBundle(path.join(tmpDir('bundle'), 'workflow-bundle.js')),
    undisturbedSnapshot(fx),
    dedicatedTemporal(),
    createTestDatabase(),
  ]);
  const env = { DATABASE_URL: tdb.url, TEMPORAL_ADDRESS: temporal.server.address, TONGCHOU_WORKFLOW_BUNDLE: bundle };
  const args = ['--require', require.resolve('tsx/cjs'), WORKER_MAIN];
  const workers: WorkerProcess[] = [];
  try {
    const g = await gate(tdb.db, tdb.url, 'pipeline.load_batch', "NEW.phase = 'normalize' AND (SELECT count(*) FROM pipeline.load_batch WHERE phase = 'normalize') >= 3");
    workers.push(await spawnWorker(env, { args }));
    const handle = await temporal.client.workflow.start(provinceMigration, {
      workflowId: 'shutdown',
      taskQueue: TASK_QUEUES.main,
      args: [{ manifestPath: fx.manifestPath, taskQueues: TASK_QUEUES, ...FAULT_RUN }],
    });
    await g.reached();
    workers[0]!.kill('SIGTERM');
    await sleep(1_000);
    const markers = async () => Number(((await tdb.db('pipeline.load_batch').count('* as n').first()) as { n: string }).n);
    const before = await markers();
    await g.open();
    // the worker finishes the batch it holds (within its grace time) and exits 0
    expect(await workers[0]!.exited).toEqual({ code: 0, signal: null });
    expect(await markers()).toBeGreaterThan(before);

    workers.push(await spawnWorker(env, { args }));
    const summary = await handle.result();
    expect(summary.totals).toEqual(expected.summary.totals);
    expect(await provincialSnapshot(tdb.db)).toEqual(expected.snapshot);
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await temporal.close();
    await tdb.drop();
  }
}, 120_000);

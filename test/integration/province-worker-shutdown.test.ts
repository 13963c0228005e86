/**
 * The production worker (src/worker-main.ts): it runs from a pre-built workflow bundle, and SIGTERM
 * shuts it down gracefully — the batch it is in the middle of commits with its marker before the
 * process exits, and another worker carries the run to its end.
 */
import path from 'node:path';
import type { Db } from '../../src/db/knex';
import { sleep } from '../../src/services/ports';
import { buildWorkflowBundle } from '../../src/workflow-bundle';
import { interruptWorkerAt } from '../fault/fault-support';
import { tmpDir } from '../support/services';

const WORKER_MAIN = path.resolve(__dirname, '..', '..', 'src', 'worker-main.ts');

test('SIGTERM lets the running batch commit; the production worker exits cleanly and another finishes the run', async () => {
  // what `npm run build:workflows` makes
  const bundle = await buildWorkflowBundle(path.join(tmpDir('bundle'), 'workflow-bundle.js'));
  const markers = async (db: Db) => Number(((await db('pipeline.load_batch').count('* as n').first()) as { n: string }).n);
  await interruptWorkerAt(
    'pipeline.load_batch',
    "NEW.phase = 'normalize' AND (SELECT count(*) FROM pipeline.load_batch WHERE phase = 'normalize') >= 3",
    async (first, gate, db) => {
      first.kill('SIGTERM');
      await sleep(1_000);
      const before = await markers(db);
      await gate.open();
      // the worker finishes the batch it holds (within its grace time) and exits 0
      expect(await first.exited).toEqual({ code: 0, signal: null });
      expect(await markers(db)).toBeGreaterThan(before);
    },
    { args: ['--require', require.resolve('tsx/cjs'), WORKER_MAIN], bundle },
  );
}, 120_000);

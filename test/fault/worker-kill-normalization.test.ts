/** SIGKILL of the worker while batches normalize: the batch in flight is retried, the finished ones are not. */
import { killWorkerAt } from './fault-support';

test('a worker killed during normalization: the run completes with exactly the rows of an undisturbed run', async () => {
  // the fourth normalized batch waits at the gate, its staged rows written but not committed
  await killWorkerAt('pipeline.load_batch', "NEW.phase = 'normalize' AND (SELECT count(*) FROM pipeline.load_batch WHERE phase = 'normalize') >= 3");
}, 300_000); // generous: the suite may share a busy machine

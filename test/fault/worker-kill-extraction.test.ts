/** SIGKILL of the worker while a source is landing: the landing resumes after its last committed chunk. */
import { killWorkerAt } from './fault-support';

test('a worker killed during extraction: the run completes with exactly the rows of an undisturbed run', async () => {
  // the second chunk of a stream waits at the gate: one chunk is landed, the next is in flight
  await killWorkerAt('landing.landing_chunk', 'EXISTS (SELECT 1 FROM landing.landing_chunk c WHERE c.stream_id = NEW.stream_id)');
}, 300_000); // generous: the suite may share a busy machine

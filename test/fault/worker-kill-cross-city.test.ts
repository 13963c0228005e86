/** SIGKILL of the worker during the cross-city step: its rebuild is one transaction, retried whole. */
import { killWorkerAt } from './fault-support';

test('a worker killed during the cross-city step: the run completes with exactly the rows of an undisturbed run', async () => {
  await killWorkerAt('pipeline.cross_city_person', 'true');
}, 300_000); // generous: the suite may share a busy machine

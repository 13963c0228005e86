import { TASK_QUEUES } from '../config';
import { loadMapping } from '../mapping/load-mapping';
import type { Runtime } from '../runtime';
import { cityMigration, type CityReport } from '../../workflows/city-migration';

/** Starts (or attaches to a running) city migration for a mapping file and waits for its report. */
export async function runCityMigration(rt: Runtime, mappingPath: string, opts: { batchRows?: number; loadDate?: string; allowPaths?: string[] } = {}): Promise<CityReport> {
  const { mapping, name, file } = loadMapping(mappingPath);
  const handle = await rt.client.workflow.start(cityMigration, {
    workflowId: `city-migration/${mapping.city.code}/${name}`,
    taskQueue: TASK_QUEUES.main,
    args: [{ mappingPath: file, taskQueues: TASK_QUEUES, batchRows: opts.batchRows, loadDate: opts.loadDate, ...(opts.allowPaths?.length ? { allowPaths: opts.allowPaths } : {}) }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return handle.result();
}

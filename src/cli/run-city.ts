import { TASK_QUEUES } from '../config';
import { loadMapping } from '../mapping/load-mapping';
import type { Runtime } from '../runtime';
import { cityMigration, type CityReport } from '../../workflows/city-migration';

const idOf = (m: ReturnType<typeof loadMapping>): string => `city-migration/${m.mapping.city.code}/${m.name}`;

/** The workflow id of a mapping file's city migration. */
export const cityMigrationId = (mappingPath: string): string => idOf(loadMapping(mappingPath));

/** Starts (or attaches to a running) city migration for a mapping file and waits for its report. */
export async function runCityMigration(rt: Runtime, mappingPath: string, opts: { batchRows?: number; allowPaths?: string[] } = {}): Promise<CityReport> {
  const loaded = loadMapping(mappingPath);
  const { file } = loaded;
  const handle = await rt.client.workflow.start(cityMigration, {
    workflowId: idOf(loaded),
    taskQueue: TASK_QUEUES.main,
    args: [{ mappingPath: file, taskQueues: TASK_QUEUES, batchRows: opts.batchRows, ...(opts.allowPaths?.length ? { allowPaths: opts.allowPaths } : {}) }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return handle.result();
}

/** Putting the workbench together from a running runtime: database, Temporal client, config. */
import type { Client } from '@temporalio/client';
import { createSourceReport } from '../../activities/source-report';
import { TASK_QUEUES, type Config } from '../config';
import type { Db } from '../db/knex';
import type { Logger } from '../log';
import { temporalResubmitter, type Resubmitter } from './resubmitter';
import type { WorkbenchDeps } from './workbench';

export interface WorkbenchWiring {
  db: Db;
  log: Logger;
  config: Config;
  /** without one, resubmissions are refused (commands that only read or edit) */
  client?: Client;
  /** the task queue the steward desks and their activities run on */
  taskQueue?: string;
  workflowIdPrefix?: string;
  mappingsDir?: string;
  /** replaces the Temporal resubmitter (tests of access rules) */
  resubmitter?: Resubmitter;
}

const noResubmission: Resubmitter = {
  resubmit() {
    return Promise.reject(new Error('resubmission needs Temporal: this command runs without it'));
  },
};

export function workbenchDeps(w: WorkbenchWiring): WorkbenchDeps {
  // the same accounting the pipeline writes at the end of every source
  const sourceReport = createSourceReport({ db: w.db, log: w.log, config: w.config });
  return {
    db: w.db,
    provinceCode: w.config.provinceCode,
    mappingsDir: w.mappingsDir,
    resubmitter: w.resubmitter ?? (w.client ? temporalResubmitter(w.client, { taskQueue: w.taskQueue ?? TASK_QUEUES.main, workflowIdPrefix: w.workflowIdPrefix }) : noResubmission),
    async refreshReport(sourceFileId, mappingVersionId) {
      // a source still being migrated has no report yet: its run accounts for the change at its end
      const reported = await w.db('pipeline.source_report').where({ source_file_id: sourceFileId, mapping_version_id: mappingVersionId }).first('source_file_id');
      if (!reported) return;
      try {
        await sourceReport({ sourceFileId, mappingVersionId, status: 'loaded' });
      } catch (err) {
        w.log.warn({ err, sourceFileId, mappingVersionId }, 'source report not refreshed after a steward decision');
      }
    },
  };
}

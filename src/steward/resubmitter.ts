/**
 * Sending resubmissions to a city's steward desk: an Update-with-Start on the workflow
 * `<prefix>/<city>`, so the desk is started when it is not running, and the caller waits for the
 * outcome (the page shows it). Large requests go in several updates.
 */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { MAX_REJECTS_PER_REQUEST, resubmitUpdate, stewardDesk, type ResubmitOutcome, type ResubmitRequest } from '../../workflows/steward-desk';

export interface CityResubmission extends ResubmitRequest {
  cityCode: string;
}

export interface Resubmitter {
  resubmit(req: CityResubmission): Promise<ResubmitOutcome>;
}

export function emptyOutcome(): ResubmitOutcome {
  return { attemptKey: '', staged: 0, refused: [], loaded: 0, rejected: 0, skipped: 0, outcomes: [] };
}

/** Adds the counts and lists of `b` to `a`. */
export function mergeOutcomes(a: ResubmitOutcome, b: ResubmitOutcome): ResubmitOutcome {
  return {
    attemptKey: [a.attemptKey, b.attemptKey].filter(Boolean).join(','),
    staged: a.staged + b.staged,
    refused: [...a.refused, ...b.refused],
    loaded: a.loaded + b.loaded,
    rejected: a.rejected + b.rejected,
    skipped: a.skipped + b.skipped,
    outcomes: [...a.outcomes, ...b.outcomes],
  };
}

export interface DeskOptions {
  taskQueue: string;
  /** workflow ids are `<prefix>/<city>`; tests give each run its own prefix */
  workflowIdPrefix?: string;
  batchRows?: number;
}

export function temporalResubmitter(client: Client, opts: DeskOptions): Resubmitter {
  const prefix = opts.workflowIdPrefix ?? 'steward-desk';
  async function once(cityCode: string, req: ResubmitRequest): Promise<ResubmitOutcome> {
    const start = new WithStartWorkflowOperation(stewardDesk, {
      workflowId: `${prefix}/${cityCode}`,
      taskQueue: opts.taskQueue,
      args: [{ cityCode, taskQueue: opts.taskQueue, batchRows: opts.batchRows }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return client.workflow.executeUpdateWithStart(resubmitUpdate, { args: [req], startWorkflowOperation: start });
  }
  return {
    async resubmit({ cityCode, ...req }) {
      let total = emptyOutcome();
      for (let i = 0; i < req.rejectIds.length; i += MAX_REJECTS_PER_REQUEST) {
        const part = { ...req, rejectIds: req.rejectIds.slice(i, i + MAX_REJECTS_PER_REQUEST) };
        let outcome: ResubmitOutcome;
        try {
          outcome = await once(cityCode, part);
        } catch (err) {
          // the desk may have ended its idle spell just as the update arrived: one more try starts a new one
          if (!/completed|not found|closed/i.test((err as Error).message)) throw err;
          outcome = await once(cityCode, part);
        }
        total = mergeOutcomes(total, outcome);
      }
      return total;
    },
  };
}

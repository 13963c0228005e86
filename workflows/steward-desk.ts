/**
 * stewardDesk: one long-lived workflow per city through which steward fixes re-enter stage 2.
 * The workbench and the CLI send an Update (`resubmit`, started with the workflow if need be) and
 * wait for its outcome: the fixed rows are staged as a new version of the city's steward fixes
 * source, then normalized, de-duplicated, loaded and accounted for by the same activities as any
 * city source, and finally each reject is settled (resolved, or open with its new reasons).
 * Resubmissions of a city run one at a time, so successive fixes of one record keep their order.
 * The desk ends after an idle spell and continues as new when its history grows long.
 */
import { allHandlersFinished, condition, continueAsNew, defineQuery, defineUpdate, proxyActivities, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RefusalWhy } from '../activities/steward/stage-fixes';
import type { FixOutcome } from '../activities/steward/settle-fixes';
import { batchOptions } from './activity-options';
import { slidingWindow } from './sliding-window';

export interface StewardDeskInput {
  cityCode: string;
  taskQueue: string;
  batchRows?: number;
  window?: number;
  /** the desk ends after this long without requests */
  idleMinutes?: number;
}

export interface ResubmitRequest {
  rejectIds: string[];
  /** who asked, for the audit log: `user:<name>` or `cli:<user>` */
  actor: string;
  /** normalize under this mapping version (a code translation just recorded) */
  mappingVersionId?: number;
}

export interface ResubmitOutcome {
  attemptKey: string;
  staged: number;
  refused: { rejectId: string; why: RefusalWhy }[];
  loaded: number;
  rejected: number;
  skipped: number;
  /** per reject, the first few hundred */
  outcomes: FixOutcome[];
}

export interface DeskState {
  cityCode: string;
  resubmissions: number;
  running: boolean;
}

export const resubmitUpdate = defineUpdate<ResubmitOutcome, [ResubmitRequest]>('resubmit');
export const deskStateQuery = defineQuery<DeskState>('state');

/** Requests larger than this are split by the caller: ids travel through the history. */
export const MAX_REJECTS_PER_REQUEST = 5_000;

export async function stewardDesk(input: StewardDeskInput): Promise<DeskState> {
  const main = proxyActivities<Activities>(batchOptions(input.taskQueue));
  const batchRows = input.batchRows ?? 5_000;
  const window = input.window ?? 4;
  const state: DeskState = { cityCode: input.cityCode, resubmissions: 0, running: false };
  let pending = 0;
  let tail: Promise<unknown> = Promise.resolve();

  async function resubmit(req: ResubmitRequest): Promise<ResubmitOutcome> {
    const attemptKey = uuid4();
    const staged = await main.stageStewardFixes({ cityCode: input.cityCode, rejectIds: req.rejectIds, actor: req.actor, attemptKey, mappingVersionId: req.mappingVersionId });
    for (const group of staged.groups) {
      for (const streamId of group.streamIds) {
        const ids = { streamId, sourceId: group.sourceId, mappingVersionId: group.mappingVersionId };
        const batches = await main.planBatches({ streamId, batchRows });
        await slidingWindow(batches, window, (b) => main.normalizeBatch({ ...ids, ...b }));
        await main.resolveDuplicates(ids);
        await slidingWindow(batches, window, (b) => main.loadBatch({ ...ids, ...b }));
      }
      await main.sourceReport({ sourceFileId: group.sourceFileId, mappingVersionId: group.mappingVersionId, status: 'loaded' });
    }
    const settled = staged.staged ? await main.settleStewardFixes({ attemptKey, actor: req.actor }) : { loaded: 0, rejected: 0, skipped: 0, outcomes: [], originals: [] };
    // the original sources' accounting changes where fixes superseded their rows
    for (const o of settled.originals) await main.sourceReport({ ...o, status: 'loaded' });
    return { attemptKey, staged: staged.staged, refused: staged.refused, loaded: settled.loaded, rejected: settled.rejected, skipped: settled.skipped, outcomes: settled.outcomes };
  }

  setHandler(
    resubmitUpdate,
    async (req) => {
      pending++;
      try {
        // one at a time, in order of arrival
        const run = tail.then(async () => {
          state.running = true;
          try {
            return await resubmit(req);
          } finally {
            state.running = false;
            state.resubmissions++;
          }
        });
        tail = run.catch(() => undefined);
        return await run;
      } finally {
        pending--;
      }
    },
    {
      validator: (req) => {
        if (!Array.isArray(req.rejectIds) || req.rejectIds.length === 0) throw new Error('no rejects to resubmit');
        if (req.rejectIds.length > MAX_REJECTS_PER_REQUEST) throw new Error(`at most ${MAX_REJECTS_PER_REQUEST} rejects per request`);
        if (!req.actor) throw new Error('a resubmission needs an actor');
      },
    },
  );
  setHandler(deskStateQuery, () => state);

  const idle = `${input.idleMinutes ?? 30} minutes` as const;
  for (;;) {
    const woke = await condition(() => pending > 0, idle);
    if (!woke) break;
    await condition(() => pending === 0);
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof stewardDesk>(input);
    }
  }
  await condition(allHandlersFinished);
  return state;
}

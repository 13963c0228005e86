/**
 * citySync: a city's nightly increment during the transition. The files in its drop directory go
 * the way of the migration (register by content hash → land → normalize → resolve duplicates →
 * load → account), a re-sent file being a no-op and a corrected one the next version; then each
 * live legacy table is pulled past its watermark into a registered source and loaded the same
 * way, its watermark moving only once the pull is loaded. Changed rows update their provincial
 * records (a newer version of the same source wins), and lineage records the update.
 */
import { CancellationScope, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PlannedSource } from '../activities/prepare-city';
import type { SourceReport } from '../activities/source-report';
import { batchOptions, extractOptions, NON_RETRYABLE } from './activity-options';
import { bookkeepingOptions, failureMessage } from './feed-options';
import { nominalTimeOf } from './feed-nominal-time';
import { slidingWindow } from './sliding-window';

export interface CitySyncInput {
  configPath: string;
  syncId: string;
  taskQueues: { extract: string; main: string };
  nominalTime?: string;
  window?: number;
}

export interface CitySyncResult {
  syncId: string;
  cityCode: string;
  nominalTime: string;
  sources: SourceReport[];
  /** live tables: rows pulled this night */
  pulled: Record<string, number>;
  /** what an operator should know though the night succeeded: `no new files in <dir>` */
  warnings: string[];
}

/** A night whose drop directory brought nothing new says so (it may be a city that forgot to send). */
export function dropWarnings(plan: { dropDir?: string; fileSources?: number }, files: readonly { status: string }[]): string[] {
  if (plan.fileSources === 0) return [];
  const dir = plan.dropDir ?? 'the drop directory';
  if (files.length === 0) return [`no new files in ${dir} (none there)`];
  if (files.every((f) => f.status === 'unchanged')) return [`no new files in ${dir} (${files.length} already loaded)`];
  return [];
}

export async function citySync(input: CitySyncInput): Promise<CitySyncResult> {
  const nominalTime = nominalTimeOf(input.nominalTime);
  const window = input.window ?? 4;
  const { workflowId, runId } = workflowInfo();
  const bookkeeping = proxyActivities<Activities>({ ...bookkeepingOptions, taskQueue: input.taskQueues.main });
  const main = proxyActivities<Activities>(batchOptions(input.taskQueues.main));
  const extract = proxyActivities<Activities>(extractOptions(input.taskQueues.extract));
  const live = proxyActivities<Activities>({
    taskQueue: input.taskQueues.extract,
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '5 minutes',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: [...NON_RETRYABLE, 'InvalidFeedConfig'] },
  });

  const { feedRunId } = await bookkeeping.beginCitySyncRun({ syncId: input.syncId, nominalTime, workflowId, runId });
  try {
    const plan = await bookkeeping.planCitySync({ configPath: input.configPath, syncId: input.syncId });
    const mappingVersionId = plan.mappingVersionId;

    /** One registered source through the pipeline, exactly as a migration loads it. */
    const loadSource = async (source: PlannedSource): Promise<SourceReport> => {
      const registered = await main.registerSource({ ...source, cityCode: plan.cityCode, mappingVersionId });
      if (registered.alreadyLoaded) return main.sourceReport({ sourceFileId: registered.sourceFileId, mappingVersionId, status: 'unchanged' });
      const landed = await extract.landSource({ sourceFileId: registered.sourceFileId });
      for (const stream of landed.streams) {
        const batches = await main.planBatches({ streamId: stream.streamId, batchRows: plan.batchRows });
        const ids = { streamId: stream.streamId, sourceId: source.sourceId, mappingVersionId };
        await slidingWindow(batches, window, async (b) => void (await main.normalizeBatch({ ...ids, ...b })));
        await main.resolveDuplicates(ids);
        await slidingWindow(batches, window, async (b) => void (await main.loadBatch({ ...ids, ...b })));
      }
      return main.sourceReport({ sourceFileId: registered.sourceFileId, mappingVersionId, status: 'loaded' });
    };

    const sources: SourceReport[] = [];
    for (const file of plan.files) sources.push(await loadSource(file));
    const warnings = dropWarnings(plan, sources);
    const pulled: Record<string, number> = {};
    for (const table of plan.live) {
      const pull = await live.pullLiveSource({ configPath: input.configPath, syncId: input.syncId, sourceId: table.sourceId, cityCode: plan.cityCode });
      pulled[table.sourceId] = pull?.rows ?? 0;
      if (!pull) continue;
      sources.push(await loadSource(pull.source));
      await bookkeeping.commitLiveSource({ syncId: input.syncId, sourceId: table.sourceId });
    }

    const totals = { sources: sources.length, unchanged: sources.filter((s) => s.status === 'unchanged').length, loaded: 0, rejected: 0, pulled, warnings };
    for (const st of sources.flatMap((s) => s.streams)) {
      totals.loaded += st.loaded;
      totals.rejected += st.rejected;
    }
    await bookkeeping.finishFeedRun({ feedRunId, status: 'succeeded', counts: totals });
    return { syncId: input.syncId, cityCode: plan.cityCode, nominalTime, sources, pulled, warnings };
  } catch (err) {
    await CancellationScope.nonCancellable(() => bookkeeping.finishFeedRun({ feedRunId, status: 'failed', error: failureMessage(err) }));
    throw err;
  }
}

/**
 * provinceMigration (全省迁移): every city of a province manifest through its own child
 * `cityMigration`, a bounded number at once; then the cross-city step (persons in several
 * cities, overlapping insurance spells) and the province report, the sum of the city reports.
 *
 * A run of some cities or sources only (`onlyCities`, `onlySources`) leaves the others alone: their
 * last reports stand in the province report. A whole re-run is idempotent: unchanged files are
 * recognised by content hash and nothing loads twice. Pause and resume reach every running city;
 * a cancellation reaches them through Temporal's own cancellation. Histories carry ids and counts.
 */
import {
  ApplicationFailure,
  type ChildWorkflowHandle,
  continueAsNew,
  defineQuery,
  isCancellation,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ProvincePlan } from '../activities/province/prepare-province';
import type { CityStatus, ProvinceSummary } from '../activities/province/province-report';
import { batchOptions } from './activity-options';
import { cityMigration } from './city-migration';
import { createRunControl, pauseSignal, resumeSignal } from './signals';
import { slidingWindow } from './sliding-window';
import { failurePlaces } from '../src/domain/failure-place';

export interface ProvinceMigrationInput {
  manifestPath: string;
  taskQueues: { extract: string; main: string };
  /** run only these cities (division codes); default every city of the manifest */
  onlyCities?: string[];
  /** run only these mapping sources (ids) of the cities run */
  onlySources?: string[];
  /** landed rows per batch, instead of the manifest's */
  batchRows?: number;
  /** the load date of every city, instead of the manifest's (`migrate --manifest … --load-date`) */
  loadDate?: string;
  /** directories (absolute) source files may be read from, besides the manifest's allow_paths */
  allowPaths?: string[];
  /** landed rows per landing checkpoint (see cityMigration) */
  landChunkRows?: number;
  startPaused?: boolean;
  /** continue as new after this many history events, here and in every city (default: when the server suggests it) */
  maxHistoryEvents?: number;
  /** where a run that continued as new picks up; set by the workflow itself */
  resume?: { plan: ProvincePlan; cities: CityRun[]; paused: boolean };
}

export interface CityRun {
  cityCode: string;
  cityName: string;
  /** the child cityMigration: query it for the city's progress */
  workflowId: string;
  status: 'waiting' | 'running' | CityStatus;
  error?: string;
}

export interface ProvinceProgress {
  provinceCode: string | null;
  provinceName: string | null;
  stage: 'preparing' | 'cities' | 'cross-city' | 'report' | 'done';
  paused: boolean;
  cities: CityRun[];
}

export const provinceProgressQuery = defineQuery<ProvinceProgress>('progress');

/** The id of a province's run: one at a time per province; a new run after the last has ended. */
export const provinceWorkflowId = (provinceCode: string): string => `province-migration/${provinceCode}`;

/** The id of a city's child workflow: stable across runs, so a re-run finds the same city. */
export const cityWorkflowId = (provinceWorkflowId: string, cityCode: string): string => `${provinceWorkflowId}/city/${cityCode}`;

/**
 * The innermost cause says what went wrong (the child's failure wraps the activity's, which wraps
 * it); the place it names in its details (file, sheet/table, row, field) follows, as the CLI prints
 * it for a single city.
 */
function rootMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown; details?: unknown };
  while (e.cause) e = e.cause as typeof e;
  const places = failurePlaces(Array.isArray(e.details) ? e.details : undefined);
  const message = e.message ?? String(err);
  return places.length ? `${message} (at ${places.join('; ')})` : message;
}

export async function provinceMigration(input: ProvinceMigrationInput): Promise<ProvinceSummary> {
  const main = proxyActivities<Activities>(batchOptions(input.taskQueues.main));
  const progress: ProvinceProgress = { provinceCode: null, provinceName: null, stage: 'preparing', paused: false, cities: input.resume?.cities ?? [] };
  const running = new Map<string, ChildWorkflowHandle<typeof cityMigration>>();
  const tell = async (handle: ChildWorkflowHandle<typeof cityMigration>, paused: boolean) => {
    // a city that finished meanwhile has nothing to pause
    await handle.signal(paused ? pauseSignal : resumeSignal).catch(() => undefined);
  };
  const control = createRunControl({
    paused: input.resume?.paused ?? input.startPaused,
    maxHistoryEvents: input.maxHistoryEvents,
    onChange: async (paused) => {
      progress.paused = paused;
      await Promise.all([...running.values()].map((h) => tell(h, paused)));
    },
  });
  progress.paused = control.paused;
  setHandler(provinceProgressQuery, () => progress);

  const plan = input.resume?.plan ?? (await main.prepareProvince({ manifestPath: input.manifestPath }));
  const { workflowId } = workflowInfo();
  progress.provinceCode = plan.provinceCode;
  progress.provinceName = plan.provinceName;
  if (!input.resume) {
    const only = input.onlyCities;
    const unknown = only?.filter((code) => !plan.cities.some((c) => c.cityCode === code)) ?? [];
    if (unknown.length) throw ApplicationFailure.nonRetryable(`not cities of the manifest: ${unknown.join(', ')}`, 'InvalidManifest');
    progress.cities = plan.cities.map((c) => ({
      cityCode: c.cityCode,
      cityName: c.cityName,
      workflowId: cityWorkflowId(workflowId, c.cityCode),
      status: !only || only.includes(c.cityCode) ? 'waiting' : 'skipped',
    }));
  }

  progress.stage = 'cities';
  const waiting = progress.cities.filter((c) => c.status === 'waiting');
  await slidingWindow(waiting, plan.concurrency.cities, async (run) => {
    if (!(await control.proceed())) return;
    const city = plan.cities.find((c) => c.cityCode === run.cityCode)!;
    const startedPaused = control.paused;
    const handle = await startChild(cityMigration, {
      workflowId: run.workflowId,
      taskQueue: input.taskQueues.main,
      args: [
        {
          mappingPath: city.mappingPath,
          allowPaths: [...(plan.allowPaths ?? []), ...(input.allowPaths ?? [])],
          taskQueues: input.taskQueues,
          batchRows: input.batchRows ?? plan.batchRows,
          landChunkRows: input.landChunkRows,
          window: plan.concurrency.batches,
          sourcesAtOnce: plan.concurrency.sources,
          onlySources: input.onlySources,
          rejectThreshold: city.rejectThreshold,
          loadDate: input.loadDate ?? city.loadDate,
          startPaused: startedPaused,
          maxHistoryEvents: input.maxHistoryEvents,
        },
      ],
    });
    running.set(run.cityCode, handle);
    run.status = 'running';
    // a pause or resume that arrived while the city was starting
    if (control.paused !== startedPaused) await tell(handle, control.paused);
    try {
      const report = await handle.result();
      await main.recordCityReport({ provinceCode: plan.provinceCode, workflowId, report, partial: input.onlySources !== undefined });
      run.status = 'done';
    } catch (err) {
      if (isCancellation(err)) throw err;
      run.status = 'failed';
      run.error = rootMessage(err);
    } finally {
      running.delete(run.cityCode);
    }
  });

  if (progress.cities.some((c) => c.status === 'waiting')) {
    // drained to continue as new: every city started so far has finished
    await control.settle();
    return continueAsNew<typeof provinceMigration>({ ...input, resume: { plan, cities: progress.cities, paused: control.paused } });
  }

  progress.stage = 'cross-city';
  const persons = await main.crossCityPersons();
  const overlaps = await main.overlapReport({ limit: 1 });
  const crossCity = { ...persons, spellOverlaps: { total: overlaps.total, crossCity: overlaps.crossCity, persons: overlaps.persons } };
  progress.stage = 'report';
  const summary = await main.buildProvinceReport({
    provinceCode: plan.provinceCode,
    provinceName: plan.provinceName,
    workflowId,
    fundPolicyPath: plan.fundPolicyPath,
    cities: progress.cities.map((c) => ({ cityCode: c.cityCode, cityName: c.cityName, status: c.status as CityStatus, error: c.error })),
    crossCity,
  });
  progress.stage = 'done';
  const failed = progress.cities.filter((c) => c.status === 'failed');
  if (failed.length) {
    throw ApplicationFailure.nonRetryable(
      `${failed.length} of ${progress.cities.length} cities failed (report ${summary.reportId}): ${failed.map((c) => `${c.cityCode} ${c.cityName}: ${c.error}`).join('; ')}`,
      'CityMigrationFailed',
    );
  }
  return summary;
}

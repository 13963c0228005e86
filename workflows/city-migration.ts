/**
 * cityMigration: one city's legacy data into the provincial schema, source by source:
 * register (content hash) → land (COPY, resumable) → normalize every stream in batches and resolve
 * its duplicates → reject threshold → load in batches → account for every row and check the
 * control totals → re-try reference rejects the source may have unblocked. At the end the reports
 * are refreshed and the overlapping spells of the city's persons listed. Histories carry ids and
 * counts, never rows.
 *
 * Operable: pause and resume (signals.ts) stop and restart new batches; later sources land while
 * earlier ones load (`sourcesAtOnce`); a long city continues as new at a batch boundary, carrying
 * its plan, progress, reports so far and a cursor — every activity is idempotent, so work that
 * had finished before the cursor is recognised and not done twice.
 */
import { ActivityCancellationType, continueAsNew, defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { LandSourceResult } from '../activities/land-source';
import type { BatchRange } from '../activities/plan-batches';
import type { OverlapReport } from '../activities/overlap-report';
import type { CityPlan } from '../activities/prepare-city';
import type { RegisteredSource } from '../activities/register-source';
import type { RejectThreshold } from '../activities/province/reject-threshold';
import type { RetryReferencesResult } from '../activities/retry-reference-rejects';
import type { SourceReport } from '../activities/source-report';
import { isStreamMapped } from '../src/domain/normalize/match-table';
import { batchOptions, extractOptions } from './activity-options';
import { advance, enterStage, landed as landedRows, pauseSources, waitingSource, type SourceProgress } from './province-progress';
import { createRunControl } from './signals';
import { slidingWindow } from './sliding-window';

export type { SourceProgress } from './province-progress';

export interface CityMigrationInput {
  mappingPath: string;
  /** directories (absolute) source files may be read from besides the mapping's own folder */
  allowPaths?: string[];
  taskQueues: { extract: string; main: string };
  /** landed rows per normalize/load batch */
  batchRows?: number;
  /** batches in flight at once */
  window?: number;
  /** landed rows committed per landing chunk (the landing's checkpoint); default the activity's */
  landChunkRows?: number;
  /** sources landing at once: later sources land while earlier ones normalize and load */
  sourcesAtOnce?: number;
  /** run only these mapping sources (a re-run of one source); default every source */
  onlySources?: string[];
  /** stop a source before loading when normalization rejected more than this (a mapping's own
   * reject_threshold takes precedence) */
  rejectThreshold?: RejectThreshold;
  startPaused?: boolean;
  /** continue as new after this many history events (default: when the server suggests it) */
  maxHistoryEvents?: number;
  /** where a run that continued as new picks up; set by the workflow itself */
  resume?: CityResume;
}

export interface CityCursor {
  source: number;
  stream: number;
  phase: 'normalize' | 'load';
  /** every batch before this one is done */
  batch: number;
  /** batches after `batch` that are done too (fewer than the window) */
  alsoDone: number[];
  /** the stream's batches are already counted in the progress totals */
  planned: boolean;
}

export interface CityResume {
  plan: CityPlan;
  progress: CityProgress;
  reports: SourceReport[];
  referenceRetries?: RetryReferencesResult;
  cursor: CityCursor;
  paused: boolean;
}

export interface CityProgress {
  cityCode: string | null;
  paused: boolean;
  sources: SourceProgress[];
}

export interface CityReport {
  cityCode: string;
  cityName: string;
  mappingName: string;
  mappingVersionId: number;
  sources: SourceReport[];
  /** reference rejects re-tried after each source (province-wide) */
  referenceRetries?: RetryReferencesResult;
  /** overlapping insurance spells of the city's persons (the steward conflict report) */
  overlaps?: OverlapReport;
}

export const cityProgressQuery = defineQuery<CityProgress>('progress');

type Landed = { registered: RegisteredSource; landed: LandSourceResult | null };

/** Thrown inside the source loop when the run drains to continue as new at `cursor`. */
class Drain {
  constructor(readonly cursor: CityCursor) {}
}

export async function cityMigration(input: CityMigrationInput): Promise<CityReport> {
  const batchRows = input.batchRows ?? 10_000;
  const window = input.window ?? 4;
  const sourcesAtOnce = Math.max(1, input.sourcesAtOnce ?? 1);
  const main = proxyActivities<Activities>(batchOptions(input.taskQueues.main));
  // a paused landing is cancelled and must have stopped before it is started again
  const extract = proxyActivities<Activities>({ ...extractOptions(input.taskQueues.extract), cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED });

  const progress: CityProgress = input.resume?.progress ?? { cityCode: null, paused: false, sources: [] };
  const control = createRunControl({
    paused: input.resume?.paused ?? input.startPaused,
    maxHistoryEvents: input.maxHistoryEvents,
    onChange: async (paused) => {
      progress.paused = paused;
      pauseSources(progress.sources, paused, Date.now());
    },
  });
  progress.paused = control.paused;
  setHandler(cityProgressQuery, () => progress);

  const plan = input.resume?.plan ?? (await main.prepareCity({ mappingPath: input.mappingPath, allowPaths: input.allowPaths ?? [] }));
  if (!input.resume) {
    const only = input.onlySources;
    plan.sources = only ? plan.sources.filter((s) => only.includes(s.sourceId)) : plan.sources;
    progress.cityCode = plan.cityCode;
    progress.sources = plan.sources.map((s) => waitingSource(s.sourceKey));
  }
  const reports: SourceReport[] = input.resume?.reports ?? [];
  const start: CityCursor = input.resume?.cursor ?? { source: 0, stream: 0, phase: 'normalize', batch: 0, alsoDone: [], planned: false };
  const mv = plan.mappingVersionId;

  // landing runs ahead of loading by up to `sourcesAtOnce` sources
  const landing = new Map<number, Promise<Landed | null>>();
  async function registerAndLand(i: number): Promise<Landed | null> {
    if (!(await control.proceed())) return null;
    const source = plan.sources[i]!;
    const p = progress.sources[i]!;
    const registered = await main.registerSource({ ...source, cityCode: plan.cityCode, mappingVersionId: mv });
    if (registered.alreadyLoaded) return { registered, landed: null };
    if (p.stage === 'waiting') enterStage(p, 'landing', Date.now());
    const landed = await control.interruptible(() => extract.landSource({ sourceFileId: registered.sourceFileId, chunkRows: input.landChunkRows, mapping: { mappingVersionId: mv, sourceId: source.sourceId } }));
    landedRows(p, landed.rowsLanded);
    return { registered, landed };
  }
  const landAhead = (i: number): Promise<Landed | null> => {
    for (let k = i; k < Math.min(i + sourcesAtOnce, plan.sources.length); k++) {
      if (landing.has(k)) continue;
      const started = registerAndLand(k);
      started.catch(() => undefined); // awaited in its turn; not unhandled meanwhile
      landing.set(k, started);
    }
    return landing.get(i)!;
  };

  /** Runs the batches not yet done; when the run drains, throws where it stopped. */
  async function runBatches<T>(batches: readonly T[], at: Pick<CityCursor, 'source' | 'stream' | 'phase'>, from: Pick<CityCursor, 'batch' | 'alsoDone'>, fn: (b: T) => Promise<void>): Promise<void> {
    const done = batches.map((_, j) => j < from.batch || from.alsoDone.includes(j));
    const open = done.flatMap((d, j) => (d ? [] : [j]));
    await slidingWindow(open, window, async (j) => {
      if (!(await control.proceed())) return;
      await fn(batches[j]!);
      done[j] = true;
    });
    const batch = done.indexOf(false);
    if (batch >= 0) throw new Drain({ ...at, batch, alsoDone: done.flatMap((d, j) => (d && j > batch ? [j] : [])), planned: true });
  }
  const fresh = { batch: 0, alsoDone: [] };

  const referenceRetries: RetryReferencesResult = input.resume?.referenceRetries ?? { examined: 0, resolved: 0, narrowed: 0, more: false };
  /** Re-tries open reference rejects province-wide (IDs and USC codes resolve across cities). */
  async function retryReferences(): Promise<void> {
    let afterId: string | undefined;
    for (;;) {
      const r = await main.retryReferenceRejects({ afterId });
      referenceRetries.examined += r.examined;
      referenceRetries.resolved += r.resolved;
      referenceRetries.narrowed += r.narrowed;
      if (!r.more) break;
      afterId = r.lastId;
    }
  }

  try {
    // Sources run in mapping order: employers before the spells and cases that refer to them.
    for (let i = start.source; i < plan.sources.length; i++) {
      const source = plan.sources[i]!;
      const p = progress.sources[i]!;
      const land = await landAhead(i);
      if (!land) throw new Drain({ source: i, stream: 0, phase: 'normalize', batch: 0, alsoDone: [], planned: false });
      const { registered, landed } = land;
      if (!landed) {
        enterStage(p, 'unchanged', Date.now());
        const report = await main.sourceReport({ sourceFileId: registered.sourceFileId, mappingVersionId: mv, status: 'unchanged' });
        reports.push({ ...report, retriesSeen: referenceRetries.resolved + referenceRetries.narrowed });
        continue;
      }

      // Every stream of the source is normalized (and checked against the reject threshold)
      // before any of it loads: a source over its threshold loads nothing.
      const resumedAt = i === start.source ? start : undefined;
      const rowsOf = (b: { firstRow: number; lastRow: number }) => b.lastRow - b.firstRow + 1;
      const idsOf = (streamId: string) => ({ streamId, sourceId: source.sourceId, mappingVersionId: mv });
      // a stream no table binds is "not mapped": landed and reported, never normalized
      const mapped = (stream: { name: string }) => !source.tableStreams || isStreamMapped(source.tableStreams, stream.name);
      const planned = new Map<string, BatchRange[]>();
      const batchesOf = async (streamId: string) => planned.get(streamId) ?? (await main.planBatches({ streamId, batchRows }));
      if (resumedAt?.phase !== 'load') {
        for (let s = resumedAt?.stream ?? 0; s < landed.streams.length; s++) {
          const stream = landed.streams[s]!;
          if (!mapped(stream)) continue;
          const batches = await batchesOf(stream.streamId);
          planned.set(stream.streamId, batches);
          const resumed = resumedAt && s === resumedAt.stream ? resumedAt : undefined;
          if (!resumed?.planned) {
            p.batchesTotal += batches.length * 2;
            // a run from before totals were fixed at landing counts them stream by stream
            if (!p.totalKnown) p.rowsTotal += batches.reduce((n, b) => n + rowsOf(b), 0);
          }
          enterStage(p, 'normalizing', Date.now());
          await runBatches(batches, { source: i, stream: s, phase: 'normalize' }, resumed ?? fresh, async (b) => {
            const counts = await main.normalizeBatch({ ...idsOf(stream.streamId), ...b });
            advance(p, 'normalize', rowsOf(b), counts.rejected, Date.now());
          });
          await main.resolveDuplicates(idsOf(stream.streamId));
        }
        const threshold = source.rejectThreshold ?? input.rejectThreshold;
        if (threshold) for (const stream of landed.streams.filter(mapped)) await main.checkRejectThreshold({ streamId: stream.streamId, mappingVersionId: mv, threshold });
      }
      for (let s = resumedAt?.phase === 'load' ? resumedAt.stream : 0; s < landed.streams.length; s++) {
        const stream = landed.streams[s]!;
        if (!mapped(stream)) continue;
        const batches = await batchesOf(stream.streamId);
        const resumed = resumedAt?.phase === 'load' && s === resumedAt.stream ? resumedAt : undefined;
        enterStage(p, 'loading', Date.now());
        await runBatches(batches, { source: i, stream: s, phase: 'load' }, resumed ?? fresh, async (b) => {
          const counts = await main.loadBatch({ ...idsOf(stream.streamId), ...b });
          advance(p, 'load', rowsOf(b), counts.rejected, Date.now());
        });
      }
      enterStage(p, 'reporting', Date.now());
      const report = await main.sourceReport({ sourceFileId: registered.sourceFileId, mappingVersionId: mv, status: 'loaded' });
      reports.push({ ...report, retriesSeen: referenceRetries.resolved + referenceRetries.narrowed });
      p.rejects = report.streams.reduce((n, st) => n + st.rejected, 0);
      // what this source brought may be what earlier rejects were waiting for
      await retryReferences();
      enterStage(p, 'done', Date.now());
    }
  } catch (err) {
    if (!(err instanceof Drain)) throw err;
    // nothing may be left running when this run ends: a landing still going would race its resume
    await Promise.allSettled(landing.values());
    await control.settle();
    return continueAsNew<typeof cityMigration>({ ...input, resume: { plan, progress, reports, referenceRetries, cursor: err.cursor, paused: control.paused } });
  }
  // rows of earlier sources may have loaded since their report (reference retries): report them again
  const final: SourceReport[] = [];
  const changedSince = (r: SourceReport) => (r.retriesSeen ?? 0) < referenceRetries.resolved + referenceRetries.narrowed;
  for (const r of reports) final.push(changedSince(r) ? await main.sourceReport({ sourceFileId: r.sourceFileId, mappingVersionId: mv, status: r.status }) : r);
  const overlaps = await main.overlapReport({ cityCode: plan.cityCode });
  return { cityCode: plan.cityCode, cityName: plan.cityName, mappingName: plan.mappingName, mappingVersionId: mv, sources: final, referenceRetries, overlaps };
}

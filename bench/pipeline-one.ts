/**
 * One source file through the pipeline as the city workflow drives it — registerSource →
 * landSource → planBatches → normalizeBatch ×N (4 at a time) → resolveDuplicates → loadBatch ×N
 * (4 at a time) — in a process of its own, so that its peak memory is the worker's alone (worker
 * threads included: they are in this process). The activities are the ones `createActivities`
 * builds for the Temporal worker, from the compiled build (bench/compiled.ts), so whatever the
 * worker runs is what is measured.
 * Prints one line of JSON (PipelineRun).
 * Usage: tsx bench/pipeline-one.ts <database-url> <mapping-version-id> <source-id> <file>
 */
import crypto from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { compiledActivities } from './compiled';
import { loadConfig } from '../src/config';
import { createDb } from '../src/db/knex';
import { createLogger } from '../src/log';

export interface PipelineRun {
  /** rows landed */
  rows: number;
  streamIds: string[];
  seconds: { land: number; normalize: number; resolve: number; load: number; total: number };
  cpuSeconds: number;
  peakRssMb: number;
  /** normalization threads the worker had (TONGCHOU_NORMALIZE_THREADS) */
  normalizeThreads: number;
  /** the peak so far at the end of each phase: which one needs the memory */
  peakRssMbAfter: Partial<Record<'land' | 'normalize' | 'resolve' | 'load', number>>;
  counts: { staged: number; skipped: number; rejected: number; loaded: number; duplicates: number; superseded: number };
}

/** Runs `fn` over `items`, `window` at a time (the workflow's sliding window). */
async function inWindows<T>(items: readonly T[], window: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(window, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Each call in an activity context of its own, as the worker runs them (heartbeats, cancellation). */
const asActivity = <A, R>(fn: (input: A) => Promise<R>, input: A): Promise<R> => new MockActivityEnvironment().run(fn, input);

async function main() {
  const [url, mv, sourceId, file] = process.argv.slice(2);
  const mappingVersionId = Number(mv);
  const db = createDb(url!);
  // the worker's settings from the environment, as a worker takes them (TONGCHOU_NORMALIZE_THREADS …)
  const config = loadConfig({}, process.env);
  const { createActivities } = compiledActivities();
  const a = createActivities({ db, log: createLogger('silent'), config });
  const { city_code: cityCode } = (await db('pipeline.mapping_version').where({ id: mappingVersionId }).first('city_code')) as { city_code: string };
  const seconds = { land: 0, normalize: 0, resolve: 0, load: 0, total: 0 };
  const counts = { staged: 0, skipped: 0, rejected: 0, loaded: 0, duplicates: 0, superseded: 0 };
  const peakRssMbAfter: Partial<Record<keyof typeof seconds, number>> = {};
  const timed = async <R>(phase: keyof typeof seconds, fn: () => Promise<R>): Promise<R> => {
    const t = process.hrtime.bigint();
    try {
      return await fn();
    } finally {
      seconds[phase] += Number(process.hrtime.bigint() - t) / 1e9;
      peakRssMbAfter[phase] = Math.round(process.resourceUsage().maxRSS / 1024);
    }
  };

  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const landed = await timed('land', async () => {
    const reg = await asActivity(a.registerSource, { cityCode, sourceKey: `bench/${sourceId}/${crypto.randomUUID()}`, path: file!, format: 'csv', mappingVersionId });
    return asActivity(a.landSource, { sourceFileId: reg.sourceFileId, mapping: { mappingVersionId, sourceId: sourceId! } });
  });
  for (const stream of landed.streams) {
    const ids = { streamId: stream.streamId, sourceId: sourceId!, mappingVersionId };
    const batches = await asActivity(a.planBatches, { streamId: stream.streamId, batchRows: 10_000 });
    /** one activity over every batch, 4 at a time, each batch's counts added as it ends */
    const eachBatch = <C>(phase: 'normalize' | 'load', activity: (input: typeof ids & (typeof batches)[number]) => Promise<C>, add: (c: C) => void) =>
      timed(phase, () => inWindows(batches, 4, async (b) => add(await asActivity(activity, { ...ids, ...b }))));
    await eachBatch('normalize', a.normalizeBatch, (c) => {
      counts.staged += c.staged;
      counts.skipped += c.skipped;
      counts.rejected += c.rejected;
    });
    await timed('resolve', () => asActivity(a.resolveDuplicates, ids));
    await eachBatch('load', a.loadBatch, (c) => {
      counts.loaded += c.loaded;
      counts.rejected += c.rejected;
      counts.duplicates += c.duplicates;
      counts.superseded += c.superseded;
    });
  }
  seconds.total = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  await db.destroy();
  const run: PipelineRun = {
    rows: landed.rowsLanded,
    streamIds: landed.streams.map((s) => s.streamId),
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    normalizeThreads: config.normalizeThreads,
    peakRssMbAfter,
    counts,
  };
  process.stdout.write(JSON.stringify(run) + '\n');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}

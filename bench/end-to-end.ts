/**
 * Persons end to end (issue 15's first acceptance line): the persons CSV through the whole
 * pipeline in a worker process of its own (bench/pipeline-one.ts), beside its peers on the same
 * file — the naive Node ETL (bench/naive-etl.ts) — and the floors of what PostgreSQL alone needs
 * to write what the pipeline wrote (bench/floors.ts).
 */
import type { Db } from '../src/db/knex';
import { runChild } from './child';
import { benchCopyFloor, benchWriteFloors } from './floors';
import type { Measured } from './measured';
import type { NaiveRun } from './naive-etl';
import type { PipelineRun } from './pipeline-one';

/** The pipeline's phases and its end to end as table lines; `rows` the file's data rows. */
export function pipelineLines(run: PipelineRun, rows: number, what: string, target: string): { lines: Measured[]; e2e: Measured } {
  const s = run.seconds;
  const e2e: Measured = { what: `end to end: land + normalize + load ${what} (worker process, ${run.normalizeThreads} normalization thread${run.normalizeThreads === 1 ? "" : "s"})`, rows, seconds: s.total, cpuSeconds: run.cpuSeconds, peakRssMb: run.peakRssMb };
  const lines: Measured[] = [
    { what: `  registerSource + landSource: ${what} → landing.raw_row`, rows, seconds: s.land },
    { what: `  normalizeBatch ×N (4 at a time): landed → staged records`, rows, seconds: s.normalize },
    { what: '  resolveDuplicates: one statement over the stream', rows, seconds: s.resolve },
    { what: `  loadBatch ×N (4 at a time): staged → ${target}`, rows, seconds: s.load },
    { what: `  normalize + load: landing → ${target}`, rows, seconds: s.normalize + s.resolve + s.load },
    e2e,
  ];
  return { lines, e2e };
}

/** tongchou's and the naive ETL's counts of the same file, and whether they agree. */
function countsLine(run: PipelineRun, naive: NaiveRun): string {
  const c = run.counts;
  const ours = `tongchou loaded ${c.loaded.toLocaleString()}, rejected ${c.rejected.toLocaleString()} (duplicates ${c.duplicates.toLocaleString()}, superseded ${c.superseded.toLocaleString()})`;
  const theirs = `naive ETL loaded ${naive.loaded.toLocaleString()}, rejected ${naive.rejected.toLocaleString()} (dropped repeating an earlier key ${naive.repeated.toLocaleString()})`;
  if (c.loaded === naive.loaded && c.rejected === naive.rejected) return `${ours}; ${theirs}: they agree`;
  const why = naive.repeated
    ? ` — the file repeats natural keys: tongchou rejects every copy of a key whose copies differ (duplicate.conflict) and counts identical copies as duplicates, the naive ETL keeps the first copy`
    : '';
  const accounted = c.loaded + c.rejected + c.duplicates + c.superseded === naive.rows && naive.loaded + naive.rejected + naive.repeated === naive.rows;
  return `${ours}; ${theirs}: they DIFFER${why}${accounted ? `; both account for every one of the ${naive.rows.toLocaleString()} rows` : ''}`;
}

export interface PersonsBench {
  /** every line for the results table, in order */
  lines: Measured[];
  e2e: Measured;
  naive: Measured;
  floors: { copy: Measured; provincial: Measured; design: Measured };
  /** the worker's peak RSS over the whole pipeline */
  peakRssMb: number;
  counts: string;
}

export async function benchPersons(opts: { db: Db; url: string; file: string; rows: number; mappingVersionId: number; dir: string }): Promise<PersonsBench> {
  const { db, url, file, rows } = opts;
  // what earlier measurements wrote is on disk before the clock starts
  await db.raw('CHECKPOINT');
  const run = runChild<PipelineRun>('pipeline-one.ts', [url, opts.mappingVersionId, 'persons', file]);
  const { lines, e2e } = pipelineLines(run, rows, 'persons CSV', 'province.person');

  await db.raw('CHECKPOINT');
  const naiveRun = runChild<NaiveRun>('naive-etl.ts', [url, file]);
  const naive: Measured = { what: 'naive Node ETL: csv-parse → normalizeRow → COPY into province.person’s shape (no durability)', rows, seconds: naiveRun.seconds, cpuSeconds: naiveRun.cpuSeconds, peakRssMb: naiveRun.peakRssMb };

  const indexes = '3 unique indexes';
  const [provincial, staged, design] = await benchWriteFloors(db, rows, run.streamIds, 'province.person', indexes);
  const copy = await benchCopyFloor(db, rows, run.streamIds, 'province.person', indexes, opts.dir);
  return {
    lines: [...lines, naive, copy, provincial!, staged!, design!],
    e2e,
    naive,
    floors: { copy, provincial: provincial!, design: design! },
    peakRssMb: run.peakRssMb,
    counts: countsLine(run, naiveRun),
  };
}


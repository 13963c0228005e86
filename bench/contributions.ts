/**
 * Contributions end to end (issue 15: ≥ 0.2× raw COPY): rows whose employer reference must
 * resolve at load — the set-based load takes those whose employer resolves (their final key
 * stored with their outcome), the row-by-row path the ones naming an unknown employer.
 * Their employers are loaded first through the same pipeline, untimed (a city run loads its
 * employers register before the registers naming them); then the contributions file is timed
 * through the pipeline in a worker process of its own, beside raw COPY of the same file.
 */
import path from 'node:path';
import type { Db } from '../src/db/knex';
import { runChild } from './child';
import { pipelineLines } from './end-to-end';
import { CONTRIBUTIONS_HEADER, employersFor, UNKNOWN_EMPLOYER_EVERY, writeContributionsCsv, writeEmployersCsv } from './fixtures';
import { benchCopyFloor, benchWriteFloors } from './floors';
import type { Measured } from './measured';
import type { PipelineRun } from './pipeline-one';
import { rawCopy } from './raw-copy';

export interface ContributionsBench {
  /** every line for the results table, each with the raw COPY it is a ratio to */
  lines: { m: Measured; base: Measured }[];
  rawCopy: Measured;
  e2e: Measured;
  floors: { copy: Measured; provincial: Measured; design: Measured };
  /** what loaded, and whether exactly the rows naming no real employer were rejected */
  counts: string;
  referencesResolve: boolean;
}

export async function benchContributions(opts: { db: Db; url: string; rows: number; mappingVersionId: number; dir: string }): Promise<ContributionsBench> {
  const { db, url, rows } = opts;
  const employers = employersFor(rows);
  const employersFile = path.join(opts.dir, 'employers.csv');
  const file = path.join(opts.dir, 'contributions.csv');
  await Promise.all([writeEmployersCsv(employersFile, employers), writeContributionsCsv(file, rows)]);

  process.stderr.write(`  loading their ${employers.toLocaleString()} employers first (untimed)…\n`);
  const employersRun = runChild<PipelineRun>('pipeline-one.ts', [url, opts.mappingVersionId, 'employers', employersFile]);
  if (employersRun.counts.loaded !== employers) throw new Error(`employers: ${employersRun.counts.loaded} of ${employers} loaded (${employersRun.counts.rejected} rejected): the contributions would not resolve`);

  const base = await rawCopy(db, file, { rows, columns: CONTRIBUTIONS_HEADER.split(',').length, what: 'raw COPY of the contributions CSV (pg-copy-streams, file piped straight in)' });
  await db.raw('CHECKPOINT');
  const run = runChild<PipelineRun>('pipeline-one.ts', [url, opts.mappingVersionId, 'contributions', file]);
  const { lines, e2e } = pipelineLines(run, rows, 'contributions CSV', 'province.contribution');

  const indexes = '3 unique indexes';
  const [provincial, staged, design] = await benchWriteFloors(db, rows, run.streamIds, 'province.contribution', indexes);
  const copy = await benchCopyFloor(db, rows, run.streamIds, 'province.contribution', indexes, opts.dir);

  // every contribution names an employer loaded above except one in UNKNOWN_EMPLOYER_EVERY
  const unknown = Math.floor(rows / UNKNOWN_EMPLOYER_EVERY);
  const c = run.counts;
  const referencesResolve = c.loaded === rows - unknown && c.rejected === unknown;
  const counts =
    `contributions loaded ${c.loaded.toLocaleString()} of ${rows.toLocaleString()}, rejected ${c.rejected.toLocaleString()} ` +
    `(the file names an unknown employer in ${unknown.toLocaleString()} rows): references ${referencesResolve ? 'resolve as expected' : 'DO NOT resolve as expected'}`;
  return {
    lines: [base, ...lines, copy, provincial!, staged!, design!].map((m) => ({ m, base })),
    rawCopy: base,
    e2e,
    floors: { copy, provincial: provincial!, design: design! },
    counts,
    referencesResolve,
  };
}

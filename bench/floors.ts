/**
 * What the database alone needs to write what a load wrote, with no worker in between — the bound
 * any loader of this schema works under, beside which the pipeline's ratios are read:
 * - the write floors: the same rows copied by `INSERT … SELECT` into empty copies of the tables
 *   (with their indexes), one statement after another on one connection. The provincial rows
 *   alone bound any load of them; with the staged records, lineage and outcomes they bound this
 *   design, where every row also leaves a staged record, and lineage and outcome rows are stored
 *   only for the exceptions (issue 15; before it, one of each per row: 0.03× raw COPY in the
 *   2026-11-29 run);
 * - the COPY floor: the provincial rows as COPY text, written back with COPY FROM STDIN, the
 *   cheapest way in for a client (no JSON, no lookups), still bound by the table's indexes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Db } from '../src/db/knex';
import { secondsSince, type Measured } from './measured';

/** An ordinary table, written to the WAL like the real one (a temporary table is not). */
async function emptyCopyOf(db: Db, table: string): Promise<string> {
  const copy = `public.bench_floor_${table.replace('.', '_')}`;
  await db.raw(`DROP TABLE IF EXISTS ${copy}; CREATE TABLE ${copy} (LIKE ${table} INCLUDING ALL)`);
  return copy;
}

/** `indexes` names what the provincial table's copy carries (printed with the figure). */
export async function benchWriteFloors(db: Db, rows: number, streamIds: string[], provincial: string, indexes: string): Promise<Measured[]> {
  const tables = [provincial, 'pipeline.staged_record', 'pipeline.lineage', 'pipeline.row_outcome'];
  const took: number[] = [];
  for (const table of tables) {
    const copy = await emptyCopyOf(db, table);
    const t = process.hrtime.bigint();
    await db.raw(`INSERT INTO ${copy} SELECT * FROM ${table} WHERE stream_id = ANY(?)`, [streamIds]);
    took.push(secondsSince(t));
    await db.raw(`DROP TABLE ${copy}`);
  }
  return [
    { what: `floor: the ${provincial} rows alone, INSERT … SELECT (${indexes})`, rows, seconds: took[0]! },
    { what: 'floor: + their staged records', rows, seconds: took[0]! + took[1]! },
    { what: 'floor: + staged records, stored lineage and outcomes (by exception: this design)', rows, seconds: took.reduce((a, b) => a + b, 0) },
  ];
}

/** The rows the load wrote to `provincial`, COPYed out to a file (untimed), then timed back in. */
export async function benchCopyFloor(db: Db, rows: number, streamIds: string[], provincial: string, indexes: string, dir: string): Promise<Measured> {
  const file = path.join(dir, `copy-floor-${provincial}.tsv`);
  const copy = await emptyCopyOf(db, provincial);
  const client = (await db.client.acquireConnection()) as PoolClient;
  let took: number;
  try {
    const ids = `{${streamIds.map(Number).join(',')}}`; // numbers only: safe inside the literal
    await pipeline(client.query(copyTo(`COPY (SELECT * FROM ${provincial} WHERE stream_id = ANY('${ids}'::bigint[])) TO STDOUT`)), fs.createWriteStream(file));
    const t = process.hrtime.bigint();
    await pipeline(fs.createReadStream(file), client.query(copyFrom(`COPY ${copy} FROM STDIN`)));
    took = secondsSince(t);
  } finally {
    await db.client.releaseConnection(client);
    fs.rmSync(file, { force: true });
  }
  await db.raw(`DROP TABLE ${copy}`);
  return { what: `floor: COPY of the loaded rows into ${provincial}'s shape (${indexes})`, rows, seconds: took };
}

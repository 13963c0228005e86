/**
 * The yardstick every figure of the bench is a ratio to (performance.md): raw COPY of the same
 * file in the same run — the file piped straight into a plain table of text columns, no indexes,
 * nothing parsed in Node.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../src/db/knex';
import { secondsSince, type Measured } from './measured';

export interface RawCopyOptions {
  /** data rows of the file (its header not counted) */
  rows: number;
  /** fields per record */
  columns: number;
  what: string;
  /** the file's encoding where it is not UTF-8: the server converts (GB18030) */
  encoding?: string;
}

export async function rawCopy(db: Db, file: string, opts: RawCopyOptions): Promise<Measured> {
  const columns = Array.from({ length: opts.columns }, (_, i) => `c${i + 1} text`).join(', ');
  await db.raw(`DROP TABLE IF EXISTS bench_raw; CREATE TABLE bench_raw (${columns})`);
  const client = (await db.client.acquireConnection()) as PoolClient;
  const t0 = process.hrtime.bigint();
  try {
    const encoding = opts.encoding ? `, ENCODING '${opts.encoding}'` : '';
    await pipeline(fs.createReadStream(file), client.query(copyFrom(`COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true${encoding})`)));
  } finally {
    await db.client.releaseConnection(client);
  }
  const seconds = secondsSince(t0);
  await db.raw('DROP TABLE bench_raw');
  return { what: opts.what, rows: opts.rows, seconds };
}

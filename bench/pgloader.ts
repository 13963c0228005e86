/** pgloader on the same CSV into the same kind of table (no validation), when it is on PATH: the
 * peer issue 15 wants tongchou's end to end at 4× of. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../src/db/knex';
import { secondsSince, type Measured } from './measured';

/** The measurement, or why there is none. */
export async function benchPgloader(db: Db, url: string, file: string, rows: number, dir: string): Promise<Measured | string> {
  const found = spawnSync('pgloader', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) return 'pgloader not on PATH';
  await db.raw('DROP TABLE IF EXISTS bench_pgloader; CREATE TABLE bench_pgloader (serial text, name text, id_number text, gender text, birth_date text)');
  const u = new URL(url);
  const command = path.join(dir, 'persons.load');
  fs.writeFileSync(
    command,
    `LOAD CSV FROM '${file}' (serial, name, id_number, gender, birth_date)
     INTO postgresql://${u.username || 'postgres'}${u.password ? `:${u.password}` : ''}@${u.hostname}:${u.port || 5432}${u.pathname}
     TARGET TABLE bench_pgloader (serial, name, id_number, gender, birth_date)
     WITH skip header = 1, fields terminated by ',', fields optionally enclosed by '"';\n`,
  );
  const t0 = process.hrtime.bigint();
  const r = spawnSync('pgloader', ['--quiet', '--root-dir', path.join(dir, 'pgloader'), command], { encoding: 'utf8' });
  const seconds = secondsSince(t0);
  if (r.status !== 0) throw new Error(`pgloader failed: ${r.stderr}`);
  await db.raw('DROP TABLE bench_pgloader');
  return { what: `pgloader ${found.stdout.split('\n')[0]!.replace(/^pgloader version /, '')}, same CSV (no validation)`, rows, seconds };
}

/**
 * `npm run bench`: throughput and peak memory of landing (and, where present, normalization),
 * reported as ratios to raw COPY of the same rows measured in the same run (performance.md: the
 * absolute numbers drift between machines, the ratios are what goals are set in).
 * BENCH_ROWS (default 1,000,000) sets the size; DATABASE_URL or an embedded PostgreSQL;
 * BENCH_ONLY=startup measures only the CLI's start-up.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { renderTable } from '../src/cli/text-table';
import { createDb, type Db } from '../src/db/knex';
import { migrateLatest } from '../src/db/migrate';
import { startEmbeddedPostgres } from '../src/services/postgres';
import { writeCsv, writeMysqlDump, writePgDump, writeXlsx } from './fixtures';
import { benchNormalize } from './normalize';
import { benchStartup, type StartupResult } from './startup';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
/** .xlsx: SheetJS writes the fixture in memory, so it is smaller (the streaming reader's rows/s
 * and memory do not depend on the count; issue 3 sets its bound at 200,000+ rows) */
const XLSX_ROWS = Number(process.env.BENCH_XLSX_ROWS ?? Math.min(ROWS, 200_000));
/** normalization and loading are measured on fewer rows (rows/s does not depend on the count) */
const NORMALIZE_ROWS = Number(process.env.BENCH_NORMALIZE_ROWS ?? Math.min(ROWS, 200_000));

interface Measured {
  what: string;
  rows: number;
  seconds: number;
  peakRssMb?: number;
}

async function rawCopy(db: Db, file: string, opts: string): Promise<Measured> {
  await db.raw('DROP TABLE IF EXISTS bench_raw; CREATE TABLE bench_raw (serial text, name text, id_number text, gender text, birth_date text)');
  const client = (await db.client.acquireConnection()) as PoolClient;
  const t0 = process.hrtime.bigint();
  try {
    await pipeline(fs.createReadStream(file), client.query(copyFrom(`COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true${opts})`)));
  } finally {
    await db.client.releaseConnection(client);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { what: `raw COPY (pg-copy-streams, file piped straight in${opts ? ', GB18030' : ''})`, rows: ROWS, seconds };
}

/** pgloader on the same CSV into the same kind of table (no validation), when it is on PATH. */
function pgloader(url: string, file: string, dir: string): Measured | string {
  const found = spawnSync('pgloader', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) return 'pgloader is not on PATH: not measured (Debian: apt-get install pgloader)';
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
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`pgloader failed: ${r.stderr}`);
  return { what: `pgloader ${found.stdout.split('\n')[0]!.replace(/^pgloader version /, '')}, same CSV (no validation)`, rows: ROWS, seconds };
}

function landInChild(url: string, file: string, format: string, what: string): Measured {
  const out = execFileSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'land-one.ts'), url, file, format], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { rows: number; seconds: number; peakRssMb: number };
  return { what, ...r };
}

function renderStartup(results: StartupResult[]): string {
  const rows = results.map((r) => [r.command, r.medianSeconds.toFixed(2), r.maxSeconds.toFixed(2), r.medianCpuSeconds?.toFixed(2) ?? '—', r.medianSeconds < 1 ? 'yes' : 'NO']);
  const header = `CLI start-up, one process (median and slowest of 5 after a warm-up run; load average ${os.loadavg()[0]!.toFixed(1)})`;
  return `${header}\n\n${renderTable(['command', 'wall s (median)', 'wall s (max)', 'CPU s (median)', 'wall under 1 s'], rows)}`;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongchou-bench-'));
  fs.chmodSync(dir, 0o755);
  let stopPg: (() => Promise<void>) | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg') });
    stopPg = pg.stop;
    adminUrl = pg.url;
  }
  const name = `tongchou_bench_${process.pid}`;
  const admin = createDb(adminUrl, { max: 1 });
  await admin.raw(`CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDb(url);
  try {
    await migrateLatest(db);
    // first, on a quiet machine: nothing of the bench's own runs beside it
    process.stderr.write('CLI start-up…\n');
    const startup = await benchStartup({ databaseUrl: url, dir });
    const startupTable = renderStartup(startup);
    if (process.env.BENCH_ONLY === 'startup') {
      process.stdout.write(`\n${startupTable}\n`);
      return;
    }
    process.stderr.write(`generating ${ROWS.toLocaleString()} rows in each format…\n`);
    const csv = path.join(dir, 'persons.csv');
    const gb = path.join(dir, 'persons-gb18030.csv');
    const dump = path.join(dir, 'persons.sql');
    const pgDump = path.join(dir, 'persons-pg.sql');
    const xlsx = path.join(dir, 'persons.xlsx');
    await Promise.all([writeCsv(csv, ROWS), writeCsv(gb, ROWS, 'gb18030'), writeMysqlDump(dump, ROWS), writePgDump(pgDump, ROWS)]);

    const results: { m: Measured; base: Measured }[] = [];
    const copyUtf8 = await rawCopy(db, csv, '');
    const copyGb = await rawCopy(db, gb, ", ENCODING 'GB18030'");
    results.push({ m: copyUtf8, base: copyUtf8 }, { m: copyGb, base: copyUtf8 });
    await db.raw('DROP TABLE IF EXISTS bench_pgloader; CREATE TABLE bench_pgloader (serial text, name text, id_number text, gender text, birth_date text)');
    const pgl = pgloader(url, csv, dir);
    const notes: string[] = [];
    if (typeof pgl === 'string') notes.push(pgl);
    else results.push({ m: pgl, base: copyUtf8 });
    await db.raw('DROP TABLE bench_pgloader');
    results.push({ m: landInChild(url, csv, 'csv', 'landing: CSV UTF-8 → landing.raw_row'), base: copyUtf8 });
    results.push({ m: landInChild(url, gb, 'csv', 'landing: CSV GB18030 → landing.raw_row'), base: copyUtf8 });
    results.push({ m: landInChild(url, dump, 'mysqldump', 'landing: mysqldump → landing.raw_row'), base: copyUtf8 });
    results.push({ m: landInChild(url, pgDump, 'pgdump', 'landing: pg_dump COPY block → landing.raw_row'), base: copyUtf8 });

    // measured in this process: its peak memory must not include the workbook SheetJS builds below
    // the landings above left millions of rows for autovacuum: let it not run into the measurement
    await db.raw('VACUUM (ANALYZE) landing.raw_row');
    await db.raw('CHECKPOINT');
    process.stderr.write(`normalization and loading on ${NORMALIZE_ROWS.toLocaleString()} rows…\n`);
    const normalized = await benchNormalize({ rows: NORMALIZE_ROWS, db, dir });

    writeXlsx(xlsx, XLSX_ROWS);
    results.push({ m: landInChild(url, xlsx, 'xlsx', 'landing: .xlsx (streaming reader) → landing.raw_row'), base: copyUtf8 });
    for (const m of normalized) results.push({ m, base: copyUtf8 });

    const rows = results.map(({ m, base }) => {
      const rate = m.rows / m.seconds;
      return [m.what, m.rows.toLocaleString(), Math.round(rate).toLocaleString(), (rate / (base.rows / base.seconds)).toFixed(2), m.peakRssMb ? `${m.peakRssMb} MB` : '—'];
    });
    process.stdout.write(`\ntongchou benchmark — ${ROWS.toLocaleString()} rows, ${os.cpus().length} cores, node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)}\n\n`);
    process.stdout.write(renderTable(['what', 'rows', 'rows/s', 'ratio to raw COPY', 'peak RSS'], rows) + '\n');
    const rate = (m?: Measured) => (m ? m.rows / m.seconds : NaN);
    const e2e = normalized.find((m) => m.what.startsWith('end to end'));
    const pglRate = typeof pgl === 'string' ? NaN : rate(pgl);
    process.stdout.write(`\nend to end (land + normalize + load, persons): ${(rate(e2e) / rate(copyUtf8)).toFixed(3)}× raw COPY (goal ≥ 0.3)`);
    process.stdout.write(Number.isNaN(pglRate) ? '\n' : `, ${(rate(e2e) / pglRate).toFixed(2)}× pgloader (goal ≥ 4)\n`);
    for (const n of notes) process.stdout.write(`${n}\n`);
    process.stdout.write(`\n${startupTable}\n`);
  } finally {
    await db.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.destroy();
    await stopPg?.();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

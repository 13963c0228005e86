/**
 * `npm run bench`: throughput and peak memory of landing, of the pipeline end to end (persons, and
 * contributions with their employer references) beside its peers (the naive Node ETL, pgloader)
 * and the database's own write floors, and the CLI's start-up — each reported as a ratio to raw
 * COPY of the same file in the same run (performance.md: the absolute numbers drift between
 * machines, the ratios are what goals are set in), and summed up against issue 15's acceptance
 * lines at the end.
 * BENCH_ROWS (default 1,000,000) sets the size; BENCH_NORMALIZE_ROWS the persons end to end (the
 * full size by default), BENCH_CONTRIBUTION_ROWS the contributions (at most 1,000,000 by default);
 * DATABASE_URL or an embedded PostgreSQL; BENCH_ONLY=startup measures only the CLI's start-up.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderTable } from '../src/cli/text-table';
import { createDb } from '../src/db/knex';
import { migrateLatest } from '../src/db/migrate';
import { startEmbeddedPostgres } from '../src/services/postgres';
import { runChild } from './child';
import { benchContributions } from './contributions';
import { benchPersons } from './end-to-end';
import { writeCsv, writeMysqlDump, writePgDump, writeXlsx } from './fixtures';
import { registerBenchMapping } from './mapping';
import type { Measured } from './measured';
import { benchNormalize } from './normalize';
import { benchPgloader } from './pgloader';
import { rawCopy } from './raw-copy';
import { benchStartup, type StartupResult } from './startup';
import { renderSummary } from './summary';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
/** .xlsx: SheetJS writes the fixture in memory, so it is smaller (the streaming reader's rows/s
 * and memory do not depend on the count; issue 3 sets its bound at 200,000+ rows) */
const XLSX_ROWS = Number(process.env.BENCH_XLSX_ROWS ?? Math.min(ROWS, 200_000));
/** persons end to end: the acceptance line is set at the full size (memory and the staging
 * tables' growth do depend on the count, unlike rows/s of a parser) */
const E2E_ROWS = Number(process.env.BENCH_NORMALIZE_ROWS ?? ROWS);
const CONTRIBUTION_ROWS = Number(process.env.BENCH_CONTRIBUTION_ROWS ?? Math.min(ROWS, 1_000_000));
/** pure normalization, in this process with no I/O: its rows/s does not depend on the count */
const PURE_ROWS = Math.min(E2E_ROWS, 200_000);
/** fields per record of the persons fixtures */
const PERSON_COLUMNS = 5;

function landInChild(url: string, file: string, format: string, what: string): Measured {
  return { what, ...runChild<{ rows: number; seconds: number; cpuSeconds: number; peakRssMb: number }>('land-one.ts', [url, file, format]) };
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
    const copyUtf8 = await rawCopy(db, csv, { rows: ROWS, columns: PERSON_COLUMNS, what: 'raw COPY (pg-copy-streams, file piped straight in)' });
    const copyGb = await rawCopy(db, gb, { rows: ROWS, columns: PERSON_COLUMNS, what: 'raw COPY (pg-copy-streams, file piped straight in, GB18030)', encoding: 'GB18030' });
    results.push({ m: copyUtf8, base: copyUtf8 }, { m: copyGb, base: copyUtf8 });
    const pgl = await benchPgloader(db, url, csv, ROWS, dir);
    if (typeof pgl !== 'string') results.push({ m: pgl, base: copyUtf8 });
    results.push({ m: landInChild(url, csv, 'csv', 'landing: CSV UTF-8 → landing.raw_row'), base: copyUtf8 });
    results.push({ m: landInChild(url, gb, 'csv', 'landing: CSV GB18030 → landing.raw_row'), base: copyUtf8 });
    results.push({ m: landInChild(url, dump, 'mysqldump', 'landing: mysqldump → landing.raw_row'), base: copyUtf8 });
    results.push({ m: landInChild(url, pgDump, 'pgdump', 'landing: pg_dump COPY block → landing.raw_row'), base: copyUtf8 });

    // the landings above left millions of rows for autovacuum: let it not run into the measurements
    await db.raw('VACUUM (ANALYZE) landing.raw_row');
    // end to end on the landing's file, or (BENCH_NORMALIZE_ROWS) on one of its own size, with its own raw COPY
    let e2eFile = csv;
    let e2eBase = copyUtf8;
    if (E2E_ROWS !== ROWS) {
      e2eFile = path.join(dir, 'e2e-persons.csv');
      await writeCsv(e2eFile, E2E_ROWS);
      e2eBase = await rawCopy(db, e2eFile, { rows: E2E_ROWS, columns: PERSON_COLUMNS, what: `raw COPY of the ${E2E_ROWS.toLocaleString()}-row persons CSV` });
      results.push({ m: e2eBase, base: e2eBase });
    }
    const mappingVersionId = await registerBenchMapping(db);
    process.stderr.write(`persons end to end on ${E2E_ROWS.toLocaleString()} rows, the naive ETL and the write floors…\n`);
    const persons = await benchPersons({ db, url, file: e2eFile, rows: E2E_ROWS, mappingVersionId, dir });
    for (const m of persons.lines) results.push({ m, base: e2eBase });
    process.stderr.write(`contributions end to end on ${CONTRIBUTION_ROWS.toLocaleString()} rows…\n`);
    const contributions = await benchContributions({ db, url, rows: CONTRIBUTION_ROWS, mappingVersionId, dir });
    results.push(...contributions.lines);

    process.stderr.write(`pure normalization on ${PURE_ROWS.toLocaleString()} rows per record kind…\n`);
    for (const m of benchNormalize({ rows: PURE_ROWS })) results.push({ m, base: copyUtf8 });
    writeXlsx(xlsx, XLSX_ROWS);
    results.push({ m: landInChild(url, xlsx, 'xlsx', 'landing: .xlsx (streaming reader) → landing.raw_row'), base: copyUtf8 });

    const rows = results.map(({ m, base }) => {
      const rate = m.rows / m.seconds;
      return [m.what, m.rows.toLocaleString(), Math.round(rate).toLocaleString(), (rate / (base.rows / base.seconds)).toFixed(2), m.cpuSeconds?.toFixed(1) ?? '—', m.peakRssMb ? `${m.peakRssMb} MB` : '—'];
    });
    process.stdout.write(`\ntongchou benchmark — ${ROWS.toLocaleString()} rows, ${os.cpus().length} cores, node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)}\n\n`);
    process.stdout.write(renderTable(['what', 'rows', 'rows/s', 'ratio to raw COPY', 'CPU s', 'peak RSS'], rows) + '\n');
    process.stdout.write(`\npersons: ${persons.counts}\n${contributions.counts}\n`);
    process.stdout.write(`\n${startupTable}\n`);
    const summary = renderSummary({
      rawCopy: e2eBase,
      e2e: persons.e2e,
      naive: persons.naive,
      pgloader: pgl,
      floors: persons.floors,
      contributions,
      peakRssMb: persons.peakRssMb,
      startup,
    });
    process.stdout.write(`\n${summary}\n`);
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

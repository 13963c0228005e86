/**
 * Normalization throughput (issue 4), for `npm run bench` (bench/run.ts calls `benchNormalize`):
 * - pure: rows/s of `normalizeRow` plus the content hash, per record kind, on rows as the demo's
 *   GB18030-CSV city writes them (text dates, grouped amounts, code tables) — no I/O;
 * - with a database: the pipeline stage after landing — normalizeBatch ×N → resolveDuplicates →
 *   loadBatch ×N, batches four at a time as the workflow runs them — on the benchmark's persons
 *   CSV, and land + normalize + load end to end, so both compare with raw COPY in the same run.
 * Run alone: `tsx bench/normalize.ts [rows]` (pure part only).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createLandSource, type LandSourceResult } from '../activities/land-source';
import { createLoadBatch } from '../activities/load-batch';
import { contentHash, createNormalizeBatch } from '../activities/normalize-batch';
import { createPlanBatches } from '../activities/plan-batches';
import { createRegisterSource } from '../activities/register-source';
import { createResolveDuplicates } from '../activities/resolve-duplicates';
import { renderTable } from '../src/cli/text-table';
import { loadConfig } from '../src/config';
import type { Db } from '../src/db/knex';
import { generateCityData, type EntityName } from '../src/demo/city-data';
import { layoutOf, renderRows } from '../src/demo/demo-writers';
import { DEMO_MAPPINGS_DIR } from '../src/demo/province';
import { seededRandom } from '../src/demo/prng';
import { bindHeaderColumns } from '../src/domain/normalize/bind-columns';
import { comparableContent, normalizeRow, tableBinding, type TableBinding } from '../src/domain/normalize/normalize-row';
import type { NormalizeContext } from '../src/domain/normalize/types';
import { RECORD_KINDS, recordKind } from '../src/domain/records';
import { createLogger } from '../src/log';
import { canonicalJson, loadMapping, parseMappingText } from '../src/mapping/load-mapping';
import { createStreamContexts } from '../src/pipeline-context';
import type { RawCell, RawRow } from '../src/extract/types';
import { writeCsv } from './fixtures';

/** One measurement, in the shape bench/run.ts tabulates. */
export interface BenchResult {
  what: string;
  rows: number;
  seconds: number;
  peakRssMb?: number;
}

export interface NormalizeBenchOptions {
  /** rows per measurement */
  rows: number;
  /** a migrated database: measure the pipeline stage and end to end too */
  db?: Db;
  /** where input files go (a temporary directory otherwise) */
  dir?: string;
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** Pure normalization per record kind, on the 衡阳 demo city's rows repeated up to `rows`. */
function benchPure(rows: number): BenchResult[] {
  const { mapping } = loadMapping(path.join(DEMO_MAPPINGS_DIR, '430400-hengyang.yaml'));
  const data = generateCityData(seededRandom(7), {
    persons: Math.min(rows, 20_000),
    seed: 7,
    counties: ['430405', '430406', '430407', '430408'],
    edition: 2017,
    shared: [],
    every: 23,
    lateEmployers: 0,
    today: '2024-06-30',
  });
  const results: BenchResult[] = [];
  for (const source of mapping.sources.filter((s) => !/late/.test(s.id))) {
    const table = source.tables[0]!;
    const entity = table.entity as EntityName;
    const layout = layoutOf(table);
    const header: RawRow = { stream: '', rowNo: 1, cells: layout.headers };
    const body = renderRows(data.rows[entity], table, mapping.codes, 'csv') as RawCell[][];
    const binding: TableBinding = tableBinding(table, bindHeaderColumns(table, [header]), recordKind);
    const ctx: NormalizeContext = { cityCode: mapping.city.code, provinceCode: '43', loadDate: '2024-06-30', date1904: false, codes: mapping.codes, columns: { ...table.columns }, uscExceptions: new Set() };
    const kindOf = (e: string) => Object.values(RECORD_KINDS).find((k) => k.entity === e) ?? binding.kind;
    const t0 = process.hrtime.bigint();
    let hashes = 0;
    for (let i = 0; i < rows; i++) {
      const result = normalizeRow({ stream: '', rowNo: i + 2, cells: body[i % body.length]! }, binding, ctx);
      // the content hash is part of what normalizeBatch does per record
      if (result?.kind === 'record') for (const p of result.parts) hashes += contentHash(comparableContent(p.payload, kindOf(p.entity), table.ignore)).length;
    }
    results.push({ what: `normalize (pure): ${table.entity} rows`, rows, seconds: seconds(t0) });
    if (hashes < 0) throw new Error('unreachable');
  }
  return results;
}

const PERSONS_MAPPING = `city: { code: "430100", name: 长沙市 }
sources:
  - id: persons
    files: [persons.csv]
    format: csv
    tables:
      - entity: person
        columns: { name: 姓名, id_number: 身份证号, gender: { header: 性别, codes: gender } }
        ignore: [序号, 出生日期]
codes:
  gender: { 男: M, 女: F }
`;

/** Runs `fn` over `items`, `window` at a time (the workflow's sliding window). */
async function inWindows<T>(items: readonly T[], window: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(window, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** The pipeline stage after landing, and end to end, on the benchmark's persons CSV. */
async function benchPipeline(db: Db, rows: number, dir: string): Promise<BenchResult[]> {
  const file = path.join(dir, 'normalize-persons.csv');
  await writeCsv(file, rows);
  const config = loadConfig({}, {});
  const deps = { db, log: createLogger('silent'), config };
  const loaded = parseMappingText(PERSONS_MAPPING, path.join(dir, '430100-bench.yaml'));
  const [mv] = await db('pipeline.mapping_version')
    .insert({ city_code: '430100', mapping_name: `bench-${crypto.randomUUID()}`, content_sha256: loaded.contentSha256, document: canonicalJson(loaded.mapping) })
    .returning('id');
  const mappingVersionId = mv.id as number;

  const t0 = process.hrtime.bigint();
  const reg = await createRegisterSource(deps)({ cityCode: '430100', sourceKey: `bench-normalize/${crypto.randomUUID()}`, path: file, format: 'csv', mappingVersionId });
  const landed = (await new MockActivityEnvironment().run(createLandSource(deps), { sourceFileId: reg.sourceFileId })) as LandSourceResult;
  const landedAt = process.hrtime.bigint();

  const streamContext = createStreamContexts(db, config.provinceCode);
  const normalizeBatch = createNormalizeBatch(deps, streamContext);
  const loadBatch = createLoadBatch(deps, streamContext);
  const phases = { normalize: 0, resolve: 0, load: 0 };
  const timed = async (phase: keyof typeof phases, fn: () => Promise<unknown>) => {
    const t = process.hrtime.bigint();
    await fn();
    phases[phase] += seconds(t);
  };
  for (const stream of landed.streams) {
    const ids = { streamId: stream.streamId, sourceId: 'persons', mappingVersionId };
    const batches = await createPlanBatches(deps)({ streamId: stream.streamId, batchRows: 10_000 });
    await timed('normalize', () => inWindows(batches, 4, (b) => normalizeBatch({ ...ids, ...b })));
    await timed('resolve', () => createResolveDuplicates(deps)(ids));
    await timed('load', () => inWindows(batches, 4, (b) => loadBatch({ ...ids, ...b })));
  }
  const stage = Number(process.hrtime.bigint() - landedAt) / 1e9;
  const total = seconds(t0);
  // (no peak memory here: this process generated every format's fixture before, and the peak of
  // a process is all one can read)
  return [
    { what: 'normalizeBatch ×N (4 at a time): landed persons → staged records', rows, seconds: phases.normalize },
    { what: 'resolveDuplicates: one statement over the stream', rows, seconds: phases.resolve },
    { what: 'loadBatch ×N (4 at a time): staged → province.person', rows, seconds: phases.load },
    { what: 'normalize + load: persons CSV landing → province.person', rows, seconds: stage },
    { what: 'end to end: land + normalize + load persons CSV', rows, seconds: total },
    ...(await benchWriteFloors(db, rows, landed.streams.map((s) => s.streamId))),
  ];
}

/**
 * What the database alone needs to write what normalize + load wrote, with no worker in between:
 * the same rows copied by `INSERT … SELECT` into empty copies of the tables (with their indexes),
 * one statement after another on one connection. The provincial rows alone bound any load of
 * them; the four tables together bound this design, where every row also leaves a staged record,
 * and lineage and outcome rows are stored only for the exceptions (issue 15; before it, one of
 * each per row: 0.03× raw COPY in the 2026-11-29 run).
 */
async function benchWriteFloors(db: Db, rows: number, streamIds: string[]): Promise<BenchResult[]> {
  const tables = ['province.person', 'pipeline.staged_record', 'pipeline.lineage', 'pipeline.row_outcome'];
  const took: number[] = [];
  for (const table of tables) {
    // an ordinary table, written to the WAL like the real one (a temporary table is not)
    const copy = `public.bench_floor_${table.replace('.', '_')}`;
    await db.raw(`DROP TABLE IF EXISTS ${copy}; CREATE TABLE ${copy} (LIKE ${table} INCLUDING ALL)`);
    const t = process.hrtime.bigint();
    await db.raw(`INSERT INTO ${copy} SELECT * FROM ${table} WHERE stream_id = ANY(?)`, [streamIds]);
    took.push(seconds(t));
    await db.raw(`DROP TABLE ${copy}`);
  }
  return [
    { what: 'floor: the province.person rows alone, INSERT … SELECT (3 unique indexes)', rows, seconds: took[0]! },
    { what: 'floor: + their staged records', rows, seconds: took[0]! + took[1]! },
    { what: 'floor: + staged records, stored lineage and outcomes (by exception: this design)', rows, seconds: took.reduce((a, b) => a + b, 0) },
  ];
}

export async function benchNormalize(opts: NormalizeBenchOptions): Promise<BenchResult[]> {
  const results = benchPure(opts.rows);
  if (opts.db) {
    const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tongchou-bench-normalize-'));
    results.push(...(await benchPipeline(opts.db, opts.rows, dir)));
  }
  return results;
}

if (require.main === module) {
  const rows = Number(process.argv[2] ?? 100_000);
  benchNormalize({ rows })
    .then((results) => {
      process.stdout.write(renderTable(['what', 'rows', 'rows/s'], results.map((r) => [r.what, r.rows.toLocaleString(), Math.round(r.rows / r.seconds).toLocaleString()])) + '\n');
    })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    });
}

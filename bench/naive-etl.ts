/**
 * The naive Node ETL issue 15 sets tongchou against ("csv-parse → validate → COPY, no
 * durability"), in a process of its own: the persons CSV streamed through csv-parse, each row
 * validated by the project's own pure `normalizeRow` under the bench mapping, the valid rows
 * COPYed (text format) into an empty copy of province.person — same three unique indexes — in
 * one statement. No landing, no staging, no outcomes, nothing to resume from: the least any
 * loader that validates like tongchou must do. A row whose natural key an earlier row already
 * had is dropped (the unique index would fail the COPY); tongchou decides such rows instead.
 * Prints one line of JSON (NaiveRun).
 * Usage: tsx bench/naive-etl.ts <database-url> <persons.csv>
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyLine } from '../src/db/copy-rows';
import { entityTable } from '../src/db/entities';
import { bindHeaderColumns } from '../src/domain/normalize/bind-columns';
import { normalizeRow, tableBinding, type TableBinding } from '../src/domain/normalize/normalize-row';
import type { NormalizeContext } from '../src/domain/normalize/types';
import { recordKind } from '../src/domain/records';
import { cstDate } from '../src/feeds/calendar';
import { BENCH_CITY, benchMapping } from './mapping';

export interface NaiveRun {
  /** data rows read (the header not counted) */
  rows: number;
  loaded: number;
  rejected: number;
  /** rows dropped because an earlier row had their natural key */
  repeated: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

export const NAIVE_TABLE = 'public.bench_naive_person';
const PAYLOAD_COLUMNS = entityTable('person').columns;
// content_hash is NOT NULL in province.person's shape; a loader that never compares a row with a
// later version keeps none ('' costs nothing). stream_id, row_no, mapping_version_id likewise.
const COLUMNS = [...PAYLOAD_COLUMNS, 'natural_key', 'content_hash', 'stream_id', 'row_no', 'mapping_version_id'];

async function main() {
  const [url, file] = process.argv.slice(2);
  const mapping = benchMapping();
  const table = mapping.sources.find((s) => s.id === 'persons')!.tables[0]!;
  const ctx: NormalizeContext = { cityCode: BENCH_CITY, provinceCode: '43', loadDate: cstDate(new Date()), date1904: false, codes: mapping.codes, columns: { ...table.columns }, uscExceptions: new Set() };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // an ordinary (WAL-logged) table like the real target, empty, created before the clock starts
  await client.query(`DROP TABLE IF EXISTS ${NAIVE_TABLE}; CREATE TABLE ${NAIVE_TABLE} (LIKE province.person INCLUDING ALL)`);

  const run: NaiveRun = { rows: 0, loaded: 0, rejected: 0, repeated: 0, seconds: 0, cpuSeconds: 0, peakRssMb: 0 };
  const seen = new Set<string>();
  let binding: TableBinding | undefined;
  async function* copyText(records: AsyncIterable<string[]>): AsyncGenerator<string> {
    let lines: string[] = [];
    let rowNo = 0;
    for await (const cells of records) {
      const row = { stream: '', rowNo: ++rowNo, cells };
      // columns by the header, as tongchou binds them
      if (!binding) {
        binding = tableBinding(table, bindHeaderColumns(table, [row]), recordKind);
        continue;
      }
      run.rows++;
      const result = normalizeRow(row, binding, ctx);
      if (!result || result.kind === 'skipped') continue;
      if (result.kind === 'rejected') {
        run.rejected++;
        continue;
      }
      const part = result.parts[0]!;
      if (seen.has(part.naturalKey)) {
        run.repeated++;
        continue;
      }
      seen.add(part.naturalKey);
      const p = part.payload;
      lines.push(copyLine([...PAYLOAD_COLUMNS.map((c) => (p[c] === undefined || p[c] === null ? null : typeof p[c] === 'object' ? JSON.stringify(p[c]) : String(p[c]))), part.naturalKey, '', 0, rowNo, 0]));
      run.loaded++;
      // one write per couple of thousand rows keeps the stream callbacks few
      if (lines.length === 2_000) {
        yield lines.join('');
        lines = [];
      }
    }
    if (lines.length) yield lines.join('');
  }

  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  await pipeline(fs.createReadStream(file!), parse({ relax_column_count: true }), copyText, client.query(copyFrom(`COPY ${NAIVE_TABLE} (${COLUMNS.join(', ')}) FROM STDIN`)));
  run.seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  run.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  run.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  await client.query(`DROP TABLE ${NAIVE_TABLE}`);
  await client.end();
  process.stdout.write(JSON.stringify(run) + '\n');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}

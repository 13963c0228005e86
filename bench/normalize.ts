/**
 * Pure normalization throughput (issue 4), for `npm run bench` (bench/run.ts calls
 * `benchNormalize`): rows/s of `normalizeRow` plus the content hash, per record kind, on rows as
 * the demo's GB18030-CSV city writes them (text dates, grouped amounts, code tables) — no I/O.
 * The pipeline itself, end to end, is measured in a process of its own (bench/pipeline-one.ts).
 * Run alone: `tsx bench/normalize.ts [rows]`.
 */
import path from 'node:path';
import { recordContentHash } from '../activities/normalize-batch';
import { renderTable } from '../src/cli/text-table';
import { generateCityData, type EntityName } from '../src/demo/city-data';
import { layoutOf, renderRows } from '../src/demo/demo-writers';
import { DEMO_MAPPINGS_DIR } from '../src/demo/province';
import { seededRandom } from '../src/demo/prng';
import { bindHeaderColumns } from '../src/domain/normalize/bind-columns';
import { normalizeRow, tableBinding, type TableBinding } from '../src/domain/normalize/normalize-row';
import type { NormalizeContext } from '../src/domain/normalize/types';
import { RECORD_KINDS, recordKind } from '../src/domain/records';
import { loadMapping } from '../src/mapping/load-mapping';
import type { RawCell, RawRow } from '../src/extract/types';
import { secondsSince, type Measured } from './measured';

export interface NormalizeBenchOptions {
  /** rows per measurement */
  rows: number;
}

/** Pure normalization per record kind, on the 衡阳 demo city's rows repeated up to `rows`. */
function benchPure(rows: number): Measured[] {
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
  const results: Measured[] = [];
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
      if (result?.kind === 'record') for (const p of result.parts) hashes += recordContentHash(p.payload, kindOf(p.entity), table.ignore).length;
    }
    results.push({ what: `normalize (pure): ${table.entity} rows`, rows, seconds: secondsSince(t0) });
    if (hashes < 0) throw new Error('unreachable');
  }
  return results;
}

export function benchNormalize(opts: NormalizeBenchOptions): Measured[] {
  return benchPure(opts.rows);
}

if (require.main === module) {
  const rows = Number(process.argv[2] ?? 100_000);
  const results = benchNormalize({ rows });
  process.stdout.write(renderTable(['what', 'rows', 'rows/s'], results.map((r) => [r.what, r.rows.toLocaleString(), Math.round(r.rows / r.seconds).toLocaleString()])) + '\n');
}

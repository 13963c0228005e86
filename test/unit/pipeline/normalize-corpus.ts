/**
 * The demo province's rows of every entity as landing holds them — 长沙's person roster (CSV
 * lines), 株洲's workbook sheets (numbers, Excel date serials, title lines), 湘潭's mysqldump
 * tables (SQL column names, data rows only), 衡阳's GB18030 CSV files (text dates, grouped
 * amounts, a title line) — with their defects, blank, subtotal and repeated header rows, each
 * normalized batch by batch into the lines normalizeBatch writes. What the byte-identity test
 * (normalize-lines.test.ts) digests, and what a profile of normalization can run.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { normalizeRowsToLines, type BatchLines, type NormalizeBatchInput } from '../../../activities/normalize-batch';
import { generateCityData, type EntityName } from '../../../src/demo/city-data';
import { layoutOf, renderRows, SHEET_TITLES } from '../../../src/demo/demo-writers';
import { personsCsvLines } from '../../../src/demo/persons-file';
import { DEMO_CITIES, DEMO_MAPPINGS_DIR } from '../../../src/demo/province';
import { seededRandom } from '../../../src/demo/prng';
import { syntheticPerson } from '../../../src/demo/synthetic-people';
import { bindHeaderColumns, bindSqlColumns } from '../../../src/domain/normalize/bind-columns';
import type { NormalizeContext } from '../../../src/domain/normalize/types';
import type { RawCell, RawRow } from '../../../src/extract/types';
import { loadMapping } from '../../../src/mapping/load-mapping';
import type { Mapping, TableMapping } from '../../../src/mapping/schema';
import { streamContextFromSpec, type StreamContext } from '../../../src/pipeline-context';

export interface CorpusStream {
  /** city code / source id / table stream */
  name: string;
  entity: string;
  rows: RawRow[];
  sc: StreamContext;
  mapping: Mapping;
}

const TODAY = '2024-06-30';
const SEED = 7;

function contextOf(name: string, mapping: Mapping, table: TableMapping, rows: RawRow[], sqlColumns?: string[]): StreamContext {
  const columns: NormalizeContext['columns'] = {};
  for (const [field, col] of Object.entries(table.columns)) columns[field] = col;
  // the mapping document as the worker reads it back from pipeline.mapping_version (JSON)
  const doc = JSON.parse(JSON.stringify(mapping)) as Mapping;
  const t = doc.sources.flatMap((s) => s.tables).find((x) => x.stream === table.stream && x.entity === table.entity)!;
  return streamContextFromSpec({
    streamId: '1',
    streamName: name,
    sourceFileId: '1',
    cityCode: mapping.city.code,
    mappingVersionId: 3,
    table: t,
    columnBinding: sqlColumns ? bindSqlColumns(t, sqlColumns) : bindHeaderColumns(t, rows.slice(0, 30)),
    ctx: { cityCode: mapping.city.code, provinceCode: '43', loadDate: TODAY, date1904: false, codes: doc.codes, columns, uscExceptions: [] },
  });
}

const numbered = (name: string, cells: RawCell[][]): RawRow[] => cells.map((c, i) => ({ stream: name, rowNo: i + 1, cells: c }));

/** Every stream of the demo province, at most `maxRows` rows each. */
export function demoCorpus(persons: number, maxRows: number): CorpusStream[] {
  const out: CorpusStream[] = [];
  const changsha = loadMapping(path.join(DEMO_MAPPINGS_DIR, '430100-changsha.yaml')).mapping;
  const roster: RawCell[][] = [];
  for (const line of personsCsvLines({ rows: persons, seed: SEED, regionCodes: ['430102', '430103', '430104', '430105', '430111', '430121'], cityName: '长沙市' })) {
    if (roster.length >= maxRows) break;
    roster.push(line.split(','));
  }
  const rosterRows = numbered('persons', roster);
  out.push({ name: '430100/persons', entity: 'person', rows: rosterRows, sc: contextOf('persons', changsha, changsha.sources[0]!.tables[0]!, rosterRows), mapping: changsha });

  const rand = seededRandom(SEED * 7 + 1);
  const shared = Array.from({ length: 3 }, () => syntheticPerson(rand, ['430102', '430203', '430405']));
  DEMO_CITIES.forEach((city, index) => {
    const { mapping } = loadMapping(path.join(DEMO_MAPPINGS_DIR, city.mapping));
    const data = generateCityData(seededRandom(SEED * 31 + index), {
      persons,
      seed: SEED,
      counties: city.counties,
      edition: city.edition,
      shared: city.shared ? shared : [],
      every: 23,
      lateEmployers: city.lateEmployers,
      today: TODAY,
    });
    for (const source of mapping.sources) {
      const late = /late/.test(source.id);
      for (const table of source.tables) {
        const entity = table.entity as EntityName;
        const logical = entity === 'employer' ? data.rows.employer.filter((r) => !!r.late === late) : data.rows[entity];
        const layout = layoutOf(table);
        let cells: RawCell[][];
        let sqlColumns: string[] | undefined;
        if (source.format === 'xlsx') {
          const width = layout.headers.length;
          cells = [
            [`${mapping.city.name}工伤保险${SHEET_TITLES[entity]}`, ...Array<null>(width - 1).fill(null)],
            ['单位：元', ...Array<null>(width - 2).fill(null), '制表：社保中心'],
            layout.headers,
            ...renderRows(logical, table, mapping.codes, 'xlsx'),
          ];
        } else if (source.format === 'mysqldump') {
          sqlColumns = layout.headers;
          cells = renderRows(logical.filter((r) => r.kind === 'data'), table, mapping.codes, 'mysqldump');
        } else {
          // a CSV line split at its delimiter: every cell text, an empty one ''
          cells = [[`${mapping.city.name}工伤保险${SHEET_TITLES[entity]}`], layout.headers, ...renderRows(logical, table, mapping.codes, 'csv').map((r) => r.map((v) => (v === null ? '' : String(v))))];
        }
        const rows = numbered(table.stream, cells.slice(0, maxRows));
        out.push({ name: `${mapping.city.code}/${source.id}/${table.stream}`, entity, rows, sc: contextOf(table.stream, mapping, table, rows, sqlColumns), mapping });
      }
    }
  });
  for (const name of ['430100/persons', '430200/workbook/参保单位', '430300/dump/ry_cbxx', '430400/spells/*', '430400/contributions/*']) out.push(hostile(out.find((s) => s.name === name)!));
  return out;
}

/** What COPY and JSON must escape, and text the rules fold: quotes, backslashes, tabs, line
 * breaks, control and format characters, a lone surrogate, full-width forms, combining marks. */
const HOSTILE = ['"', '\\', '\t', '\n', '\r\n', '\u2028', '\u0001', '\u007f', '\ud800', 'Ａ１', 'e\u0301', '\\N', '{"x":1}', '·', '\u3000'];

/** A stream's first rows again, one in two with hostile text in the middle of its name, key and
 * code cells (kept where the rules keep inner text: names, legacy numbers, natural keys, refs). */
function hostile(s: CorpusStream): CorpusStream {
  const positions = s.sc.binding.binding.positions;
  const fields = ['name', 'employer_no', 'legacy_no', 'employer_name', 'status', 'gender'].filter((f) => positions[f] !== undefined);
  const header = s.sc.binding.binding.headerRowNo ?? 0;
  const rows = s.rows.slice(0, 3000).map((row, i): RawRow => {
    if (row.rowNo <= header || i % 2 === 1) return row;
    const cells = [...row.cells];
    fields.forEach((f, j) => {
      const at = positions[f]!;
      const text = cells[at];
      if (text === null || text === undefined || text === '') return;
      const t = String(text);
      const bad = HOSTILE[(i + j) % HOSTILE.length]!;
      cells[at] = t.slice(0, 1) + bad + t.slice(1);
    });
    return { ...row, cells };
  });
  return { ...s, name: `${s.name} hostile`, rows };
}

/** A stream normalized in batches of `batch` rows, as normalizeBatch does. */
export function streamLines(s: CorpusStream, batch: number): BatchLines[] {
  const out: BatchLines[] = [];
  for (let first = 0; first < s.rows.length; first += batch) {
    const rows = s.rows.slice(first, first + batch);
    const input: NormalizeBatchInput = { streamId: '1', sourceId: 's', mappingVersionId: 3, firstRow: rows[0]!.rowNo, lastRow: rows[rows.length - 1]!.rowNo };
    out.push(normalizeRowsToLines(rows, s.sc, input));
  }
  return out;
}

/** The sha256 of everything a stream's batches write: staged lines, outcomes, reject entries,
 * row errors and counts, in order. */
export function linesDigest(batches: readonly BatchLines[]): string {
  const h = crypto.createHash('sha256');
  for (const b of batches) {
    for (const l of b.staged) h.update('S').update(l);
    for (const l of b.outcomes) h.update('O').update(l);
    for (const r of b.rejects) h.update('R').update(JSON.stringify(r)).update('\n');
    h.update('E').update(JSON.stringify(b.rowErrors)).update('C').update(JSON.stringify(b.counts));
  }
  return h.digest('hex');
}

/**
 * The demo province end to end on the real services: four cities in three formats (CSV, a
 * workbook, a GBK mysqldump, GB18030 CSV files), every defect kind of the rules in each of the
 * three full cities, the province report as the sum of the cities.
 */
import path from 'node:path';
import { findOverlappingSpells } from '../../activities/overlap-report';
import { cityControlTotals, cityTotals, renderProvinceReport } from '../../src/cli/city-report';
import { todayInChina } from '../../src/cli/commands/mapping';
import { writeDemoProvince } from '../../src/demo/province';
import { cityMigration, type CityReport } from '../../workflows/city-migration';
import { createTestDatabase, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

let tdb: TestDatabase;
let temporal: TestTemporal;
let reports: CityReport[];

/** Every reason code of normalization-rules.md a demo city's data must produce. */
const EVERY_REASON = [
  'id_number.format', 'id_number.checksum', 'id_number.birth_date',
  'usc_code.format', 'usc_code.checksum', 'org_code.format', 'org_code.checksum', 'division_code.unknown',
  'name.missing', 'amount.format', 'amount.precision', 'amount.negative', 'date.format', 'date.range', 'code.unmapped',
  'duplicate.conflict', 'reference.employer_missing', 'reference.person_missing', 'reference.case_missing',
];

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  const mappings = await writeDemoProvince(tmpDir('demo'), { persons: 200, seed: 2017, today: todayInChina() });
  // side by side, as the demo runs them: a shared person merges whichever city comes first
  reports = await Promise.all(
    mappings.map((m) =>
      temporal.client.workflow.execute(cityMigration, { workflowId: `demo-${path.basename(m)}`, taskQueue: temporal.taskQueues.main, args: [{ mappingPath: m, taskQueues: temporal.taskQueues }] }),
    ),
  );
}, 240_000);

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

test('four cities in three formats: a workbook, a GBK mysqldump, GB18030 CSV', async () => {
  expect(reports.map((r) => r.cityCode)).toEqual(['430100', '430200', '430300', '430400']);
  const files = await tdb.db('landing.source_file').orderBy('id').select('city_code', 'format', 'encoding');
  const byCity = (code: string) => [...new Set(files.filter((f: { city_code: string }) => f.city_code === code).map((f: { format: string; encoding: string | null }) => `${f.format}/${f.encoding ?? '-'}`))];
  expect(byCity('430200')).toEqual(['xlsx/-']);
  // the dump declares SET NAMES gbk; it is read with GBK's superset GB18030
  expect(byCity('430300')).toEqual(['mysqldump/gb18030']);
  expect(byCity('430400')).toEqual(['csv/gb18030']);
  // Chinese text survived each encoding
  const names = await tdb.db('province.employer').whereIn('city_code', ['430300', '430400']).pluck('name');
  expect(names.every((n: string) => /^[\u4e00-\u9fff()（）]+$/u.test(n))).toBe(true);
});

test('each full city shows every defect kind of the rules, and every row is accounted for', () => {
  for (const r of reports.slice(1)) {
    const t = cityTotals(r);
    expect(Object.keys(t.byReason).sort()).toEqual(expect.arrayContaining(EVERY_REASON));
    expect(t.warnings['gender.conflict']).toBeGreaterThan(0);
    expect(t.duplicates).toBeGreaterThan(0);
    expect(t.read).toBe(t.loaded + t.rejected + t.skipped + t.duplicates);
    expect(cityControlTotals(r).every((c) => c.ok)).toBe(true);
  }
  for (const r of [reports[1]!, reports[3]!]) expect(Object.keys(cityTotals(r).bySkip).sort()).toEqual(['skip.blank', 'skip.header', 'skip.subtotal']);
  // the GBK dump's system kept old versions of rows: the latest wins, the others are superseded
  expect(reports[2]!.sources.flatMap((s) => s.streams).reduce((n, s) => n + s.superseded, 0)).toBeGreaterThan(0);
});

test('the late employer supplement turns waiting spells and contributions into loaded rows', async () => {
  const resolved = Number((await tdb.db('pipeline.reject').where({ city_code: '430400', status: 'resolved' }).count({ n: '*' }).first())!.n);
  expect(resolved).toBeGreaterThan(0);
  // retries are province-wide: whichever city's run re-tried them counts them
  const allResolved = Number((await tdb.db('pipeline.reject').where({ status: 'resolved' }).count({ n: '*' }).first())!.n);
  expect(reports.reduce((n, r) => n + r.referenceRetries!.resolved, 0)).toBe(allResolved);
  // and the rows they waited for are in the province: the supplement's employers have spells
  const spells = await tdb.db('province.insurance_spell as s').join('province.employer as e', 'e.id', 's.employer_id').join('pipeline.record_lineage as l', 'l.natural_key', 'e.natural_key')
    .join('landing.stream as st', 'st.id', 'l.stream_id').join('landing.source_file as f', 'f.id', 'st.source_file_id')
    .whereLike('f.source_key', '430400/employers_late/%').count({ n: '*' }).first();
  expect(Number(spells!.n)).toBeGreaterThan(0);
});

test('persons insured in two cities are one provincial person each, their overlapping spells reported', async () => {
  const shared = await tdb.db('province.insurance_spell').groupBy('person_id').havingRaw('count(DISTINCT city_code) > 1').select('person_id');
  expect(shared.length).toBeGreaterThan(0);
  const overlaps = await findOverlappingSpells(tdb.db);
  expect(overlaps.crossCity).toBeGreaterThan(0);
});

test('the province report is the sum of its cities', async () => {
  const overlaps = await findOverlappingSpells(tdb.db);
  const text = renderProvinceReport(reports, overlaps);
  const sum = reports.map(cityTotals).reduce((a, t) => ({ read: a.read + t.read, loaded: a.loaded + t.loaded }), { read: 0, loaded: 0 });
  expect(text).toMatch(new RegExp(`province\\s+${sum.read}\\s+${sum.loaded}\\s`));
  expect(text).toContain('✓');
  expect(text).not.toContain('✗');
  const { n } = (await tdb.db('province.contribution').count({ n: '*' }).first()) as { n: string };
  const loadedContributions = reports.flatMap(cityControlTotals).filter((c) => c.measure === 'contribution.rows').reduce((a, c) => a + Number(c.province), 0);
  expect(Number(n)).toBe(loadedContributions);
});

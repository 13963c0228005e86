/**
 * A province of three cities on the real Temporal dev server and PostgreSQL: every city through
 * its child cityMigration, the cross-city step, and a province report that is the sum of the city
 * reports. Then the operations: an idempotent whole re-run, a re-run of one city and of one
 * source that leave the others untouched.
 */
import path from 'node:path';
import type { CityReport } from '../../workflows/city-migration';
import { cityWorkflowId, provinceMigration, type ProvinceMigrationInput } from '../../workflows/province-migration';
import type { ProvinceSummary } from '../../src/report/province-report';
import { latestProvinceReport } from '../../src/report/store';
import { saveHistory } from '../replay/record';
import { provincialSnapshot } from '../support/provincial-snapshot';
import { THREE_CITIES, writeMovedTo, writeProvince, type ProvinceFixture } from '../support/province-fixture';
import { createTestDatabase, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

let tdb: TestDatabase;
let temporal: TestTemporal;
let fx: ProvinceFixture;

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  fx = await writeProvince(tmpDir('province'), { cities: THREE_CITIES, moved: 20, concurrency: { cities: 1 } });
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

const run = (workflowId: string, extra: Partial<ProvinceMigrationInput> = {}): Promise<ProvinceSummary> =>
  temporal.client.workflow.execute(provinceMigration, {
    workflowId,
    taskQueue: temporal.taskQueues.main,
    args: [{ manifestPath: fx.manifestPath, taskQueues: temporal.taskQueues, ...extra }],
  });

const cityReport = (provinceId: string, cityCode: string): Promise<CityReport> => temporal.client.workflow.getHandle(cityWorkflowId(provinceId, cityCode)).result();

/** Sums the streams of city reports, field by field: the province report must say the same. */
function sumStreams(reports: CityReport[]) {
  const streams = reports.flatMap((r) => r.sources.flatMap((s) => s.streams));
  const sum = (k: 'landed' | 'read' | 'loaded' | 'rejected' | 'skipped' | 'duplicates') => streams.reduce((n, s) => n + s[k], 0);
  const byReason: Record<string, number> = {};
  for (const s of streams) for (const [code, n] of Object.entries(s.byReason)) byReason[code] = (byReason[code] ?? 0) + n;
  return { landed: sum('landed'), read: sum('read'), loaded: sum('loaded'), rejected: sum('rejected'), skipped: sum('skipped'), duplicates: sum('duplicates'), byReason };
}

let first: ProvinceSummary;

test('three cities end to end: the province report is the sum of the city reports', async () => {
  first = await run('province-e2e');
  await saveHistory(temporal.client, 'province-e2e', 'province-three-cities');
  await saveHistory(temporal.client, cityWorkflowId('province-e2e', '430200'), 'city-two-sources');
  expect(first.cities.map((c) => [c.cityCode, c.status])).toEqual(THREE_CITIES.map((c) => [c.code, 'done']));

  const reports = await Promise.all(THREE_CITIES.map((c) => cityReport('province-e2e', c.code)));
  expect(reports.map((r) => r.sources.length)).toEqual([2, 2, 1]);
  const expected = sumStreams(reports);
  expect(first.totals).toMatchObject(expected);
  for (const [i, c] of first.cities.entries()) expect(c.totals).toMatchObject(sumStreams([reports[i]!]));
  // every row is accounted for, and the rosters were mostly good rows
  expect(first.totals.read).toBe(first.totals.loaded + first.totals.rejected + first.totals.skipped + first.totals.duplicates);
  expect(first.totals.loaded).toBeGreaterThan(600);

  // the provincial tables agree with the report: one person per loaded key
  const { n } = (await tdb.db('province.person').count('* as n').first()) as { n: string };
  const loadedKeys = await tdb.db('pipeline.row_outcomes').where({ outcome: 'loaded' }).countDistinct('natural_key as n').first();
  expect(Number(n)).toBe(Number(loadedKeys!.n));

  // the 20 people who moved are one person each, listed with both cities; the four renamed ones conflict
  expect(first.crossCity).toEqual({ persons: 20, conflictPersons: 4, spellOverlaps: { total: 0, crossCity: 0, persons: 0 } });
  const listed = await tdb.db('pipeline.cross_city_person').orderBy('natural_key').select('city_codes', 'conflict_city_codes');
  expect(listed).toHaveLength(20);
  expect(listed.filter((p: { conflict_city_codes: string[] }) => p.conflict_city_codes.length === 0).map((p: { city_codes: string[] }) => p.city_codes)).toEqual(
    Array(16).fill(['430100', '430200']),
  );

  const stored = await latestProvinceReport(tdb.db, '43');
  expect(stored!.reportId).toBe(first.reportId);
  expect(stored!.cityReports.map((r) => r.cityCode)).toEqual(['430100', '430200', '430300']);
});

test('running the whole province again changes nothing and reports the same', async () => {
  const before = await provincialSnapshot(tdb.db);
  const again = await run('province-e2e');
  expect(await provincialSnapshot(tdb.db)).toEqual(before);
  expect(again.totals).toEqual(first.totals);
  expect(again.crossCity).toEqual(first.crossCity);
  const reports = await Promise.all(THREE_CITIES.map((c) => cityReport('province-e2e', c.code)));
  expect(reports.flatMap((r) => r.sources.map((s) => s.status))).toEqual(Array(5).fill('unchanged'));
});

test('a re-run of one source of one city leaves the other cities and sources alone', async () => {
  const others = await Promise.all(['430100', '430300'].map((c) => temporal.client.workflow.getHandle(cityWorkflowId('province-e2e', c)).describe()));
  const personsSource = await tdb.db('landing.source_file').where('source_key', 'like', '430200/persons/%').select('id', 'version');
  // the second city corrects its list of people who moved: the renamed four now carry their names
  writeMovedTo(fx.dir, '430200', fx.moved!, false);
  const fixed = await run('province-e2e', { onlyCities: ['430200'], onlySources: ['moved'] });

  expect(fixed.cities.map((c) => c.status)).toEqual(['skipped', 'done', 'skipped']);
  expect(fixed.crossCity).toMatchObject({ persons: 20, conflictPersons: 0 });
  // the other cities did not run again
  for (const [i, c] of ['430100', '430300'].entries()) {
    const now = await temporal.client.workflow.getHandle(cityWorkflowId('province-e2e', c)).describe();
    expect(now.runId).toBe(others[i]!.runId);
  }
  // the city's other source was not touched; the corrected file is the next version of its source
  expect(await tdb.db('landing.source_file').where('source_key', 'like', '430200/persons/%').select('id', 'version')).toEqual(personsSource);
  const versions = await tdb.db('landing.source_file').where('source_key', 'like', '430200/moved/%').orderBy('version').pluck('version');
  expect(versions).toEqual([1, 2]);

  // the city's report keeps its roster and has the corrected source; the province sums as before
  const city = fixed.cities.find((c) => c.cityCode === '430200')!;
  const stored = (await latestProvinceReport(tdb.db, '43'))!.cityReports.find((r) => r.cityCode === '430200')!;
  expect(stored.sources.map((s) => path.basename(s.path))).toEqual(['persons.csv', 'persons-moved.csv']);
  expect(stored.sources[1]!.streams[0]!.byReason).toEqual({});
  expect(city.totals.rejected).toBe(first.cities[1]!.totals.rejected - 4);
  expect(fixed.totals.loaded).toBe(first.totals.loaded + 4);
});

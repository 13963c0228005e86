/**
 * The set-based load of plain new records (activities/load-new-records.ts) must leave exactly what
 * the row-by-row rules leave. The demo province — every entity, city legacy keys, references,
 * duplicates within and across sources, late employers, rows already in the province — runs
 * once per load path, in a database of its own, city after city and one batch at a time (so the
 * order of rows is the same in both runs); the provincial tables and every row's bookkeeping are
 * then compared row for row. The set-based run normalizes every batch on worker threads
 * (src/normalize-threads), the row-by-row run on the activity's thread: the threads must not
 * change a row either.
 */
import path from 'node:path';
import { todayInChina } from '../../src/cli/commands/mapping';
import type { Config } from '../../src/config';
import { writeDemoProvince } from '../../src/demo/province';
import { cityMigration, type CityReport } from '../../workflows/city-migration';
import { provincialSnapshot, type Snapshot } from '../support/provincial-snapshot';
import { createTestDatabase, testConfig, tmpDir } from '../support/services';
import { startTestWorkers } from '../support/workers';

async function runDemo(config: Partial<Config> & Pick<Config, 'loadPath'>, mappings: string[]): Promise<{ snapshot: Snapshot; reports: CityReport[] }> {
  const { loadPath } = config;
  const tdb = await createTestDatabase();
  const temporal = await startTestWorkers(tdb.db, testConfig(config));
  try {
    const reports: CityReport[] = [];
    for (const m of mappings) {
      reports.push(
        await temporal.client.workflow.execute(cityMigration, {
          workflowId: `load-paths-${loadPath}-${path.basename(m)}-${Date.now()}`,
          taskQueue: temporal.taskQueues.main,
          args: [{ mappingPath: m, taskQueues: temporal.taskQueues, batchRows: 97, window: 1 }],
        }),
      );
    }
    return { snapshot: await provincialSnapshot(tdb.db), reports };
  } finally {
    await temporal.close();
    await tdb.drop();
  }
}

test('set-based loading with normalization threads and row-by-row loading without leave the same province, row for row', async () => {
  const mappings = await writeDemoProvince(tmpDir('load-paths'), { persons: 150, seed: 2026, today: todayInChina() });
  const rowByRow = await runDemo({ loadPath: 'row-by-row', normalizeThreads: 0 }, mappings);
  // every batch to a thread, however small
  const setBased = await runDemo({ loadPath: 'set-based', normalizeThreads: 2, normalizeThreadMinRows: 0 }, mappings);

  // the comparison means something: every kind of outcome is there
  const outcomes = new Set(rowByRow.snapshot['pipeline.row_outcomes']!.map((r) => (JSON.parse(r) as { outcome: string }).outcome));
  expect([...outcomes].sort()).toEqual(['duplicate', 'loaded', 'rejected', 'skipped', 'superseded']);
  expect(rowByRow.snapshot['province.employer_city_key']!.length).toBeGreaterThan(0);
  expect(rowByRow.snapshot['province.insurance_spell']!.length).toBeGreaterThan(0);

  for (const table of Object.keys(rowByRow.snapshot)) expect({ table, rows: setBased.snapshot[table] }).toEqual({ table, rows: rowByRow.snapshot[table] });
  const counts = (r: CityReport[]) => r.map((c) => c.sources.map((s) => s.streams.map((x) => [x.read, x.loaded, x.rejected, x.skipped, x.duplicates, x.superseded])));
  expect(counts(setBased.reports)).toEqual(counts(rowByRow.reports));
}, 300_000);

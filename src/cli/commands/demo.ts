/**
 * `tongchou demo`: the main job on local defaults — generate a demo city's legacy files, start
 * what is needed, run the migration workflow, print the report, stop cleanly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writePersonsCsv } from '../../demo/persons-file';
import { runFundsDemo } from '../../funds/demo';
import { runTransitionDemo } from '../../transition/demo';
import type { Runtime } from '../../runtime';
import { renderCityReport } from '../city-report';
import { runCityMigration } from '../run-city';

const REPO_MAPPINGS = path.resolve(__dirname, '..', '..', '..', 'mappings', 'demo');

export interface DemoOptions {
  rows: number;
  seed: number;
}

/** Writes the demo province under `<dataDir>/demo`: mapping files next to their data. */
export async function generateDemo(dir: string, opts: DemoOptions): Promise<string[]> {
  fs.mkdirSync(path.join(dir, 'data', '430100'), { recursive: true });
  await writePersonsCsv(path.join(dir, 'data', '430100', 'persons.csv'), {
    rows: opts.rows,
    seed: opts.seed,
    regionCodes: ['430102', '430103', '430104', '430105', '430111', '430121'],
    cityName: '长沙市',
  });
  const mappings: string[] = [];
  for (const f of fs.readdirSync(REPO_MAPPINGS).filter((f) => f.endsWith('.yaml')).sort()) {
    fs.copyFileSync(path.join(REPO_MAPPINGS, f), path.join(dir, f));
    mappings.push(path.join(dir, f));
  }
  return mappings;
}

export async function runDemo(rt: Runtime, opts: DemoOptions & { json: boolean }): Promise<void> {
  const dir = path.join(rt.config.dataDir, 'demo');
  const mappings = await generateDemo(dir, opts);
  const reports = [];
  for (const m of mappings) {
    const report = await runCityMigration(rt, m);
    reports.push(report);
    if (!opts.json) process.stdout.write(`\n${renderCityReport(report)}\n`);
  }
  if (opts.json) process.stdout.write(JSON.stringify({ cities: reports }, null, 2) + '\n');
  await runFundsDemo(rt, { json: opts.json });
  await runTransitionDemo(rt, { seed: opts.seed, json: opts.json });
}

/**
 * `tongchou demo`: the main job on local defaults — write the demo province's legacy files (four
 * cities, three formats), start what is needed, run every city's migration workflow, print each
 * city's report and the province report (the sum of the cities), stop cleanly.
 */
import path from 'node:path';
import { findOverlappingSpells } from '../../../activities/overlap-report';
import { writeDemoProvince } from '../../demo/province';
import { runFundsDemo } from '../../funds/demo';
import { runTransitionDemo } from '../../transition/demo';
import type { Runtime } from '../../runtime';
import { renderCityReport, renderProvinceReport } from '../city-report';
import { printTemporalUi } from '../program';
import { runCityMigration } from '../run-city';
import { todayInChina } from './mapping';

export interface DemoOptions {
  /** insured persons per city */
  rows: number;
  seed: number;
}

/** Writes the demo province under `dir`: mapping files next to their data; returns the mappings. */
export async function generateDemo(dir: string, opts: DemoOptions): Promise<string[]> {
  return writeDemoProvince(dir, { persons: opts.rows, seed: opts.seed, today: todayInChina() });
}

export async function runDemo(rt: Runtime, opts: DemoOptions & { json: boolean }): Promise<void> {
  const dir = path.join(rt.config.dataDir, 'demo');
  const mappings = await generateDemo(dir, opts);
  printTemporalUi(rt);
  // the cities run side by side, as a province run would; a shared person merges whichever is first
  const reports = await Promise.all(mappings.map((m) => runCityMigration(rt, m)));
  if (!opts.json) for (const report of reports) process.stdout.write(`\n${renderCityReport(report)}\n`);
  const overlaps = await findOverlappingSpells(rt.db, { limit: 10 });
  if (opts.json) process.stdout.write(JSON.stringify({ cities: reports, overlaps }, null, 2) + '\n');
  else process.stdout.write(`\n${renderProvinceReport(reports, overlaps)}\n`);
  await runFundsDemo(rt, { json: opts.json });
  await runTransitionDemo(rt, { seed: opts.seed, json: opts.json });
}

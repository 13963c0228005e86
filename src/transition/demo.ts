/**
 * The demo's rate and benefit transition: the demo city's employers, contributions, cases and
 * benefits are generated and migrated like any city's files, the transition is computed under
 * the sample rate policy, and a short summary is printed — how employers move, the income impact
 * per year, and the benefits raised or kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { runCityMigration } from '../cli/run-city';
import { fenToYuanString } from '../domain/decimal';
import type { Runtime } from '../runtime';
import { demoTransitionCity, writeTransitionCity } from './demo-data';
import { DEFAULT_RATE_POLICY, readRatePolicyFile } from './policy-file';
import { renderImpact } from './render';
import { runRateTransition } from './run';
import { readBenefitSchedules, readIncomeYears, readRuns, type BenefitView, type RunView } from './views';

export interface TransitionDemoOptions {
  seed?: number;
  /** the demo prints JSON: stay quiet */
  json?: boolean;
}

export interface TransitionDemoSummary {
  runs: RunView[];
  text: string;
}

function cityLine(r: RunView, benefits: readonly BenefitView[]): string {
  const { up, down, stay } = r.movements;
  const mine = benefits.filter((b) => b.runId === r.runId);
  const raised = mine.filter((b) => b.treatment === 'raise').length;
  const kept = mine.filter((b) => b.treatment === 'keep').length;
  return (
    `  ${r.cityCode}: ${r.employers} employers — ${up.count} up (${up.largestChange ?? '—'} at most, ≤ ${up.longestYears} years), ` +
    `${down.count} down (${down.largestChange ?? '—'} at most, ≤ ${down.longestYears} years), ${stay} stay, ${r.movements.new} new; ` +
    `${mine.length} monthly benefits: ${raised} raised to the standard, ${kept} kept above it`
  );
}

/**
 * The sample policy as a version of the demo's year: the demo's cities hold last year's records,
 * so the switch-over is 1 January of this year (China time) and the bands are assessed on last year.
 */
export function writeDemoPolicy(dir: string, now = Date.now()): string {
  const year = new Date(now + 8 * 3600_000).getUTCFullYear();
  const doc = parseDocument(fs.readFileSync(DEFAULT_RATE_POLICY, 'utf8'));
  doc.set('version', `demo-${year}`);
  doc.set('effective_from', `${year}-01-01`);
  const file = path.join(dir, 'rate-policy-demo.yaml');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, doc.toString());
  return file;
}

/** Generates and migrates the demo city's transition files, computes the transition, prints the summary. */
export async function runTransitionDemo(rt: Runtime, opts: TransitionDemoOptions = {}): Promise<TransitionDemoSummary> {
  const dir = path.join(rt.config.dataDir, 'demo', 'rates');
  const policyFile = writeDemoPolicy(dir);
  const pf = readRatePolicyFile(policyFile);
  const mapping = writeTransitionCity(dir, demoTransitionCity(opts.seed ?? 2017, pf.policy.effective_from));
  await runCityMigration(rt, mapping);
  const result = await runRateTransition(rt, { policyFile });
  const ids = result.runs.map((r) => r.runId);
  const [runs, years, benefits] = await Promise.all([readRuns(rt.db, ids), readIncomeYears(rt.db, ids), readBenefitSchedules(rt.db, ids)]);
  const legacy = years.filter((y) => y.yearIndex === 0).reduce((s, y) => s + y.legacyFen, 0n);
  const text = [
    `Rate transition under policy ${result.policyVersion} from ${result.effectiveFrom} (legacy income ${fenToYuanString(legacy)} yuan a year)`,
    ...runs.map((r) => cityLine(r, benefits)),
    renderImpact(runs, years),
  ].join('\n');
  if (!opts.json) process.stdout.write(`\n${text}\n`);
  return { runs, text };
}

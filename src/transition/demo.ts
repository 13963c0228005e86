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
import { compare, fenToYuanString as yuan, parseDecimal } from '../domain/decimal';
import type { Runtime } from '../runtime';
import { demoTransitionCity, writeTransitionCity } from './demo-data';
import { DEFAULT_RATE_POLICY, readRatePolicyFile } from './policy-file';
import { runRateTransition } from './run';
import { readBenefitSchedules, readIncomeYears, readRuns, type BenefitView, type IncomeYearView, type RunView } from './views';

export interface TransitionDemoOptions {
  seed?: number;
  /** the demo prints JSON: stay quiet */
  json?: boolean;
}

export interface TransitionDemoSummary {
  runs: RunView[];
  text: string;
}

/** Three lines a city: how employers move, the income impact, the benefits. */
function cityLines(r: RunView, years: readonly IncomeYearView[], benefits: readonly BenefitView[]): string[] {
  const { up, down, stay } = r.movements;
  const mine = years.filter((y) => y.runId === r.runId);
  const count = (t: string) => benefits.filter((b) => b.runId === r.runId && b.treatment === t).length;
  const first = mine[0];
  const last = mine[mine.length - 1];
  const widest = mine.reduce<IncomeYearView | undefined>((w, y) => (!w || wider(y, w) ? y : w), undefined);
  const flagged = r.flaggedYears.length ? r.flaggedYears.map((y) => `year ${y + 1}`).join(', ') : 'none';
  const lines = [
    `  ${r.cityCode}  ${r.employers} employers: ${up.count} up (${up.largestChange ?? '—'} at most, ≤ ${up.longestYears} years), ` +
      `${down.count} down (${down.largestChange ?? '—'} at most, ≤ ${down.longestYears} years), ${stay} stay, ${r.movements.new} new`,
  ];
  if (first && last && widest) {
    lines.push(
      `          income a year: legacy ${yuan(first.legacyFen)}, year 1 ${yuan(first.projectedFen)} (${first.changeText}), ` +
        `year ${last.yearIndex + 1} ${yuan(last.projectedFen)}; widest swing ${widest.changeText} in year ${widest.yearIndex + 1}; above ${first.maxIncomeSwing}: ${flagged}`,
    );
  }
  lines.push(`          monthly benefits: ${count('raise')} raised to the standard, ${count('keep')} kept above it, ${count('at_standard')} at it`);
  if (r.reasons.length) lines.push(`          not planned: ${r.reasons.length} (rates plan lists them)`);
  return lines;
}

/** Whether year a swings more than year b; a rise from zero (no ratio) is the widest. */
function wider(a: IncomeYearView, b: IncomeYearView): boolean {
  if (b.change === null) return false;
  if (a.change === null) return true;
  const size = (text: string) => parseDecimal(text.replace(/^-/, ''));
  return compare(size(a.change), size(b.change)) > 0;
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
  const text = [
    `Rate and benefit transition under policy ${result.policyVersion} from ${result.effectiveFrom} (amounts in yuan; tongchou rates plan|impact for more)`,
    ...runs.flatMap((r) => cityLines(r, years, benefits)),
  ].join('\n');
  if (!opts.json) process.stdout.write(`\n${text}\n`);
  return { runs, text };
}

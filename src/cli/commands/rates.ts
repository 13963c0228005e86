/**
 * `tongchou rates plan|impact|employer <key>`: the rate transition under a provincial rate policy
 * — computed (or found, for the same inputs) by the rateTransition workflow, then read back from
 * the stored runs; `--xlsx` writes the workbook for the provincial office.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Command } from 'commander';
import type { Runtime } from '../../runtime';
import { DEFAULT_RATE_POLICY } from '../../transition/policy-file';
import { renderEmployer, renderImpact, renderPlan } from '../../transition/render';
import { runRateTransition } from '../../transition/run';
import { readEmployerDetail, readEmployerPaths, readIncomeYears, readRuns, type RunView } from '../../transition/views';
import { employerWorkbook, impactWorkbook, planWorkbook } from '../../transition/workbook';
import type { RateTransitionResult } from '../../../workflows/rate-transition';
import { printResult, withRuntime } from '../program';

export interface TransitionOptions {
  policy?: string;
  rebandOn?: string;
  city?: string[];
  json?: boolean;
  xlsx?: string;
  localWorker: boolean;
}

/** The options every transition command takes. */
export function transitionCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .option('--policy <file>', `the provincial rate policy (YAML); default the stored version that took effect last, else ${path.relative(process.cwd(), DEFAULT_RATE_POLICY)}`)
    .option('--reband-on <date>', 're-band from this date (YYYY-MM-DD): paths continue from the rate in force')
    .option('--city <code...>', 'only these cities (division codes)')
    .option('--json', 'print the result as JSON')
    .option('--xlsx <file>', 'also write the workbook for the provincial office')
    .option('--no-local-worker', 'do not run workers in this process (a worker fleet serves the task queues)');
}

/** Computes (or finds) the runs for the options, then hands them to `show`. */
export async function withTransition(
  program: Command,
  o: TransitionOptions,
  show: (rt: Runtime, result: RateTransitionResult, runs: RunView[]) => Promise<void>,
): Promise<void> {
  await withRuntime(program, { withWorkers: o.localWorker }, async (rt) => {
    const result = await runRateTransition(rt, { policyFile: o.policy, rebandOn: o.rebandOn, cities: o.city });
    const runs = await readRuns(rt.db, result.runs.map((r) => r.runId));
    await show(rt, result, runs);
  });
}

export function writeWorkbook(file: string | undefined, build: () => Buffer): void {
  if (!file) return;
  fs.writeFileSync(file, build());
  process.stderr.write(`workbook written: ${file}\n`);
}

export function registerRatesCommands(program: Command): void {
  const rates = program.command('rates').description('rate transition (费率过渡): floating bands, yearly paths, income impact');

  transitionCommand(rates, 'plan', 'per city how many employers move up, down or stay, by how much and over how many years').action(async (o: TransitionOptions) => {
    await withTransition(program, o, async (rt, result, runs) => {
      const paths = await readEmployerPaths(rt.db, runs.map((r) => r.runId));
      writeWorkbook(o.xlsx, () => planWorkbook(runs, paths));
      printResult(o.json, { ...result, cities: runs, employers: paths }, () => renderPlan(runs, paths, result.runs));
    });
  });

  transitionCommand(rates, 'impact', 'projected contribution income per city and year under the paths against the legacy rates').action(async (o: TransitionOptions) => {
    await withTransition(program, o, async (rt, result, runs) => {
      const ids = runs.map((r) => r.runId);
      const years = await readIncomeYears(rt.db, ids);
      if (o.xlsx) {
        const paths = await readEmployerPaths(rt.db, ids);
        writeWorkbook(o.xlsx, () => impactWorkbook(runs, years, paths));
      }
      printResult(o.json, { ...result, cities: runs, years }, () => renderImpact(runs, years));
    });
  });

  transitionCommand(rates, 'employer', "one employer's legacy rate and where it came from, band, target and yearly path")
    .argument('<key>', 'USC or organization code, or the city employer number')
    .action(async (key: string, o: TransitionOptions) => {
      await withTransition(program, o, async (rt, _result, runs) => {
        const detail = await readEmployerDetail(rt.db, key.trim(), runs.map((r) => r.runId));
        if (!detail) {
          process.exitCode = 1;
          printResult(o.json, { employer: null, reason: 'not_found' }, () => `no employer ${key} in the transition runs`);
          return;
        }
        writeWorkbook(o.xlsx, () => employerWorkbook(detail));
        printResult(o.json, detail, () => renderEmployer(detail));
      });
    });
}

/**
 * Writes one city's transition run: the run with its inputs, then every employer path, step,
 * city-year and benefit adjustment by COPY, in one transaction. A run of the city with the same
 * inputs is found first and returned unchanged; otherwise the run takes the city's next version.
 */
import type { PoolClient } from 'pg';
import { copyLines, copyText } from '../db/copy-rows';
import type { Db } from '../db/knex';
import { withPgTransaction } from '../db/transaction';
import type { CityTransition, TransitionContext, TransitionReason } from '../domain/transition';
import type { PlannedBenefit, PlannedEmployer } from './compute';
import type { StoredRatePolicy } from './policy-file';
import type { StoredContribution } from './read-inputs';

export interface RunOutcome {
  runId: string;
  cityCode: string;
  runVersion: number;
  policyVersion: string;
  effectiveFrom: string;
  /** false: these inputs were computed before, and that run stands unchanged */
  created: boolean;
  employers: number;
  benefits: number;
  flaggedYears: number[];
  /** employers and benefits that could not be planned */
  reasons: number;
}

export interface RunToStore {
  policy: StoredRatePolicy;
  cityCode: string;
  ctx: TransitionContext;
  assessedYear: number;
  baseRunId: string | null;
  inputsSha256: string;
  inputs: Record<string, unknown>;
  employers: readonly PlannedEmployer[];
  transition: CityTransition<StoredContribution>;
  benefits: readonly PlannedBenefit[];
  reasons: readonly TransitionReason[];
}

/** JSON text with bigints as decimal strings. */
export const toJson = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** The id quoted by reports: city, policy version and the city's run version. */
export const transitionRunId = (cityCode: string, policyVersion: string, runVersion: number): string => `rates:${cityCode}:${policyVersion}:${runVersion}`;

const line = (values: readonly (string | number | bigint | boolean | null)[]): string =>
  values.map((v) => copyText(v === null ? null : String(v))).join('\t') + '\n';
const pgArray = (items: readonly (string | bigint)[]): string => `{${items.join(',')}}`;

const lineage = (rows: readonly StoredContribution[]) =>
  rows.map((r) => ({ id: r.id, naturalKey: r.naturalKey, period: r.period, rate: r.rate, dueFen: r.dueFen, payrollFen: r.payrollFen, streamId: r.streamId, rowNo: r.rowNo }));

export async function storeRun(db: Db, run: RunToStore): Promise<RunOutcome> {
  const { cityCode, transition } = run;
  const summary = {
    cityCode,
    policyVersion: run.policy.version,
    effectiveFrom: run.ctx.effective,
    employers: run.employers.length,
    benefits: run.benefits.length,
    flaggedYears: [...transition.impact.flaggedYears],
    reasons: run.reasons.length,
  };
  return withPgTransaction(db, async (client) => {
    // one computation per city at a time, so two runs cannot both take the next version
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`rate-transition/${cityCode}`]);
    const existing = await client.query<{ run_id: string; run_version: number }>(
      'SELECT run_id, run_version FROM province.rate_transition_run WHERE city_code = $1 AND inputs_sha256 = $2',
      [cityCode, run.inputsSha256],
    );
    const found = existing.rows[0];
    if (found) return { ...summary, runId: found.run_id, runVersion: found.run_version, created: false };
    const next = await client.query<{ v: number }>('SELECT coalesce(max(run_version), 0) + 1 AS v FROM province.rate_transition_run WHERE city_code = $1', [cityCode]);
    const runVersion = next.rows[0]!.v;
    const runId = transitionRunId(cityCode, run.policy.version, runVersion);
    await client.query(
      `INSERT INTO province.rate_transition_run (run_id, city_code, run_version, policy_version_id, policy_version, effective_from, switch_over,
         assessed_year, based_on_run_id, years, inputs_sha256, inputs, employers, benefits, movements, flagged_years, reasons)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        runId, cityCode, runVersion, run.policy.id, run.policy.version, run.ctx.effective, run.ctx.switchOver,
        run.assessedYear, run.baseRunId, transition.years, run.inputsSha256, toJson(run.inputs),
        run.employers.length, run.benefits.length, toJson(transition.movements), transition.impact.flaggedYears, toJson(run.reasons),
      ],
    );
    await writePaths(client, runId, run);
    await writeBenefits(client, runId, run);
    return { ...summary, runId, runVersion, created: true };
  });
}

async function writePaths(client: PoolClient, runId: string, run: RunToStore): Promise<void> {
  const { transition, cityCode } = run;
  const paths: string[] = [];
  const steps: string[] = [];
  transition.employers.forEach(({ plan, path }, i) => {
    const { row } = run.employers[i]!;
    const yearOne = transition.impact.years[0]!.employers[i]!;
    paths.push(
      line([
        runId, row.id, plan.employerKey, cityCode, plan.riskClass,
        plan.legacy?.rate ?? null, plan.legacy?.period ?? null, plan.legacy?.source ?? null, toJson(lineage(plan.legacy?.rows ?? [])),
        plan.band.band, plan.band.basis,
        toJson({ ...plan.band.inputs, ratio: plan.band.ratioText, column: plan.band.column, hadNewInjury: plan.band.hadNewInjury }),
        run.ctx.policy.base_rates[plan.riskClass], plan.target, plan.startRate, plan.startBasis, path.maxStep, path.start,
        path.direction, path.moves, path.reachesTargetOn,
        plan.payroll.baseFen, pgArray(plan.payroll.periods), plan.payroll.missingPayrollRows, pgArray(plan.payroll.rows.map((r) => r.id)),
        yearOne.legacyFen,
      ]),
    );
    for (const s of path.steps) {
      const projected = transition.impact.years[s.step]!.employers[i]!.projectedFen;
      steps.push(line([runId, row.id, s.step, s.effective, s.fromRate, s.rate, s.change, s.atTarget, projected]));
    }
  });
  await copyLines(client, 'province.employer_rate_path', [
    'run_id', 'employer_id', 'employer_key', 'city_code', 'risk_class',
    'legacy_rate', 'legacy_period', 'legacy_rate_source', 'legacy_rows',
    'band', 'band_basis', 'band_inputs',
    'base_rate', 'target_rate', 'start_rate', 'start_basis', 'max_step', 'start_date',
    'direction', 'moves', 'reaches_target_on',
    'payroll_base_fen', 'payroll_periods', 'payroll_missing_rows', 'payroll_contribution_ids',
    'legacy_income_fen',
  ], paths);
  await copyLines(client, 'province.employer_rate_step', ['run_id', 'employer_id', 'step', 'effective', 'from_rate', 'rate', 'change', 'at_target', 'projected_fen'], steps);
  const years = transition.impact.years.map((y) =>
    line([runId, cityCode, y.yearIndex, y.from, y.projectedFen, y.legacyFen, y.previousFen, y.change === null ? null : y.changeText, y.changeText, y.flagged, transition.impact.maxIncomeSwing]),
  );
  await copyLines(client, 'province.city_income_year', ['run_id', 'city_code', 'year_index', 'from_date', 'projected_fen', 'legacy_fen', 'previous_fen', 'change', 'change_text', 'flagged', 'max_income_swing'], years);
}

async function writeBenefits(client: PoolClient, runId: string, run: RunToStore): Promise<void> {
  const lines: string[] = [];
  for (const { paid, plan } of run.benefits) {
    const payment = toJson({ id: paid.paymentId, naturalKey: paid.paymentKey, period: paid.period, amountFen: paid.amountFen, streamId: paid.streamId, rowNo: paid.rowNo });
    const basis = toJson({ ...plan.standard.basis, appraisalDate: paid.appraisalDate });
    for (const r of plan.schedule.records) {
      lines.push(
        line([
          runId, r.benefitKey, paid.caseId, run.cityCode, paid.caseNo, r.kind, plan.schedule.treatment, r.step, r.effective,
          r.previousFen, r.amountFen, r.raiseFen, plan.legacyFen, plan.legacyBasis, r.inputs.standardFen, r.inputs.steps, r.inputs.stepFen, basis, payment,
        ]),
      );
    }
  }
  await copyLines(client, 'province.benefit_transition_step', [
    'run_id', 'benefit_key', 'case_id', 'city_code', 'case_no', 'benefit_type', 'treatment', 'step', 'effective',
    'previous_fen', 'amount_fen', 'raise_fen', 'legacy_fen', 'legacy_basis', 'standard_fen', 'steps', 'step_fen', 'standard_basis', 'legacy_payment',
  ], lines);
}

/**
 * Stored transition runs read back for people: per city the movements and flags of a run, every
 * employer's yearly path, one employer in detail with the contribution rows its legacy rate came
 * from, the income impact per city-year, and every benefit's schedule.
 */
import type { Db } from '../db/knex';
import type { RateMovements, TransitionReason } from '../domain/transition';

export interface RunView {
  runId: string;
  cityCode: string;
  runVersion: number;
  policyVersion: string;
  effectiveFrom: string;
  switchOver: string;
  assessedYear: number;
  basedOnRunId: string | null;
  years: number;
  employers: number;
  benefits: number;
  movements: RateMovements;
  flaggedYears: number[];
  reasons: TransitionReason[];
  computedAt: string;
}

export interface PathStepView {
  step: number;
  effective: string;
  fromRate: string;
  rate: string;
  change: string;
  atTarget: boolean;
  projectedFen: bigint;
}

export interface EmployerPathView {
  runId: string;
  cityCode: string;
  employerKey: string;
  name: string;
  riskClass: number;
  legacyRate: string | null;
  legacyPeriod: string | null;
  legacyRateSource: string | null;
  band: string;
  bandBasis: string;
  baseRate: string;
  targetRate: string;
  startRate: string | null;
  startBasis: string;
  direction: string;
  moves: number;
  reachesTargetOn: string;
  payrollBaseFen: bigint;
  legacyIncomeFen: bigint;
  steps: PathStepView[];
}

/** A contribution row a legacy rate came from, and the landed row that wrote it. */
export interface LegacyRowView {
  id: string;
  naturalKey: string;
  period: string;
  rate: string | null;
  dueFen: string;
  payrollFen: string | null;
  streamId: string;
  rowNo: number;
  /** the source file the row was landed from */
  sourcePath: string | null;
}

export interface EmployerDetailView extends EmployerPathView {
  maxStep: string;
  startDate: string;
  bandInputs: Record<string, unknown>;
  legacyRows: LegacyRowView[];
  payrollPeriods: string[];
  payrollMissingRows: number;
  policyVersion: string;
  effectiveFrom: string;
}

export interface IncomeYearView {
  runId: string;
  cityCode: string;
  yearIndex: number;
  from: string;
  projectedFen: bigint;
  legacyFen: bigint;
  previousFen: bigint;
  change: string | null;
  changeText: string;
  flagged: boolean;
  maxIncomeSwing: string;
}

export interface BenefitStepView {
  step: number;
  effective: string;
  previousFen: bigint;
  amountFen: bigint;
  raiseFen: bigint;
}

export interface BenefitView {
  runId: string;
  cityCode: string;
  benefitKey: string;
  caseNo: string;
  kind: string;
  treatment: string;
  legacyFen: bigint;
  legacyBasis: string;
  standardFen: bigint;
  steps: number;
  stepFen: bigint;
  standardBasis: Record<string, unknown>;
  legacyPayment: Record<string, unknown>;
  schedule: BenefitStepView[];
}

type Row = Record<string, unknown>;
const big = (v: unknown): bigint => BigInt(v as string);

export async function readRuns(db: Db, runIds: readonly string[]): Promise<RunView[]> {
  const rows = (await db('province.rate_transition_run').whereIn('run_id', runIds).orderBy(['city_code', 'run_version'])) as Row[];
  return rows.map((r) => ({
    runId: r.run_id as string,
    cityCode: r.city_code as string,
    runVersion: r.run_version as number,
    policyVersion: r.policy_version as string,
    effectiveFrom: r.effective_from as string,
    switchOver: r.switch_over as string,
    assessedYear: r.assessed_year as number,
    basedOnRunId: (r.based_on_run_id as string | null) ?? null,
    years: r.years as number,
    employers: r.employers as number,
    benefits: r.benefits as number,
    movements: r.movements as RateMovements,
    flaggedYears: r.flagged_years as number[],
    reasons: r.reasons as TransitionReason[],
    computedAt: (r.computed_at as Date).toISOString(),
  }));
}

async function readSteps(db: Db, runIds: readonly string[], employerIds?: readonly string[]): Promise<Map<string, PathStepView[]>> {
  const q = db('province.employer_rate_step').whereIn('run_id', runIds).orderBy(['run_id', 'employer_id', 'step']);
  if (employerIds) q.whereIn('employer_id', employerIds);
  const out = new Map<string, PathStepView[]>();
  for (const s of (await q) as Row[]) {
    const key = `${s.run_id as string}/${s.employer_id as string}`;
    const list = out.get(key) ?? [];
    list.push({
      step: s.step as number,
      effective: s.effective as string,
      fromRate: s.from_rate as string,
      rate: s.rate as string,
      change: s.change as string,
      atTarget: s.at_target as boolean,
      projectedFen: big(s.projected_fen),
    });
    out.set(key, list);
  }
  return out;
}

function pathView(r: Row, steps: Map<string, PathStepView[]>): EmployerPathView {
  return {
    runId: r.run_id as string,
    cityCode: r.city_code as string,
    employerKey: r.employer_key as string,
    name: r.name as string,
    riskClass: r.risk_class as number,
    legacyRate: (r.legacy_rate as string | null) ?? null,
    legacyPeriod: (r.legacy_period as string | null) ?? null,
    legacyRateSource: (r.legacy_rate_source as string | null) ?? null,
    band: r.band as string,
    bandBasis: r.band_basis as string,
    baseRate: r.base_rate as string,
    targetRate: r.target_rate as string,
    startRate: (r.start_rate as string | null) ?? null,
    startBasis: r.start_basis as string,
    direction: r.direction as string,
    moves: r.moves as number,
    reachesTargetOn: r.reaches_target_on as string,
    payrollBaseFen: big(r.payroll_base_fen),
    legacyIncomeFen: big(r.legacy_income_fen),
    steps: steps.get(`${r.run_id as string}/${r.employer_id as string}`) ?? [],
  };
}

const pathQuery = (db: Db) => db('province.employer_rate_path as p').join('province.employer as e', 'e.id', 'p.employer_id').select('p.*', 'e.name');

/** Every employer of the runs with its yearly path, by city and employer key. */
export async function readEmployerPaths(db: Db, runIds: readonly string[]): Promise<EmployerPathView[]> {
  const rows = (await pathQuery(db).whereIn('p.run_id', runIds).orderBy(['p.city_code', 'p.employer_key'])) as Row[];
  const steps = await readSteps(db, runIds);
  return rows.map((r) => pathView(r, steps));
}

/**
 * One employer in detail, by its key (USC or organization code) or a city's legacy employer
 * number: its path in the given runs, else in the latest run that has it.
 */
export async function readEmployerDetail(db: Db, key: string, runIds?: readonly string[]): Promise<EmployerDetailView | null> {
  const byCityNo = db('province.employer_city_key').where({ legacy_no: key }).select('employer_id');
  const q = pathQuery(db)
    .join('province.rate_transition_run as run', 'run.run_id', 'p.run_id')
    .where((w) => w.where('p.employer_key', key.toUpperCase()).orWhereIn('p.employer_id', byCityNo))
    .orderBy([{ column: 'run.computed_at', order: 'desc' }, { column: 'run.run_version', order: 'desc' }])
    .select('run.policy_version', 'run.effective_from');
  if (runIds) q.whereIn('p.run_id', runIds);
  const r = (await q.first()) as Row | undefined;
  if (!r) return null;
  const steps = await readSteps(db, [r.run_id as string], [r.employer_id as string]);
  const legacy = r.legacy_rows as Omit<LegacyRowView, 'sourcePath'>[];
  const streams = legacy.length
    ? ((await db('landing.stream as s')
        .join('landing.source_file as f', 'f.id', 's.source_file_id')
        .whereIn('s.id', [...new Set(legacy.map((l) => l.streamId))])
        .select('s.id', 'f.path')) as { id: string; path: string }[])
    : [];
  const pathOf = new Map(streams.map((s) => [s.id, s.path]));
  return {
    ...pathView(r, steps),
    maxStep: r.max_step as string,
    startDate: r.start_date as string,
    bandInputs: r.band_inputs as Record<string, unknown>,
    legacyRows: legacy.map((l) => ({ ...l, sourcePath: pathOf.get(l.streamId) ?? null })),
    payrollPeriods: r.payroll_periods as string[],
    payrollMissingRows: r.payroll_missing_rows as number,
    policyVersion: r.policy_version as string,
    effectiveFrom: r.effective_from as string,
  };
}

export async function readIncomeYears(db: Db, runIds: readonly string[]): Promise<IncomeYearView[]> {
  const rows = (await db('province.city_income_year').whereIn('run_id', runIds).orderBy(['city_code', 'run_id', 'year_index'])) as Row[];
  return rows.map((r) => ({
    runId: r.run_id as string,
    cityCode: r.city_code as string,
    yearIndex: r.year_index as number,
    from: r.from_date as string,
    projectedFen: big(r.projected_fen),
    legacyFen: big(r.legacy_fen),
    previousFen: big(r.previous_fen),
    change: (r.change as string | null) ?? null,
    changeText: r.change_text as string,
    flagged: r.flagged as boolean,
    maxIncomeSwing: r.max_income_swing as string,
  }));
}

export async function readBenefitSchedules(db: Db, runIds: readonly string[]): Promise<BenefitView[]> {
  const rows = (await db('province.benefit_transition_step').whereIn('run_id', runIds).orderBy(['city_code', 'run_id', 'benefit_key', 'step'])) as Row[];
  const out = new Map<string, BenefitView>();
  for (const r of rows) {
    const id = `${r.run_id as string}/${r.benefit_key as string}`;
    let view = out.get(id);
    if (!view) {
      view = {
        runId: r.run_id as string,
        cityCode: r.city_code as string,
        benefitKey: r.benefit_key as string,
        caseNo: r.case_no as string,
        kind: r.benefit_type as string,
        treatment: r.treatment as string,
        legacyFen: big(r.legacy_fen),
        legacyBasis: r.legacy_basis as string,
        standardFen: big(r.standard_fen),
        steps: r.steps as number,
        stepFen: big(r.step_fen),
        standardBasis: r.standard_basis as Record<string, unknown>,
        legacyPayment: r.legacy_payment as Record<string, unknown>,
        schedule: [],
      };
      out.set(id, view);
    }
    view.schedule.push({ step: r.step as number, effective: r.effective as string, previousFen: big(r.previous_fen), amountFen: big(r.amount_fen), raiseFen: big(r.raise_fen) });
  }
  return [...out.values()];
}

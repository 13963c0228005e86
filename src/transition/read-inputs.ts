/**
 * Everything the transition reads from the provincial tables, in one module: employers with their
 * contribution rows (缴费记录), the benefits paid for their cases and their new injuries in the
 * assessed year, the monthly benefits being paid with the case's appraisal, and the earlier run a
 * computation continues. Rows come back with their ids and provenance, for the lineage.
 */
import type { RiskClass } from '../../mappings/province/enumerations';
import type { Db } from '../db/knex';
import type { MonthlyBenefitKind, PathAnchor, ScheduleAnchor, TransitionContribution } from '../domain/transition';
import type { DisabilityGrade, NursingLevel } from '../../mappings/province/enumerations';
import { MONTHLY_BENEFIT_KINDS } from '../domain/transition';

/** A loaded contribution row with where it came from. */
export interface StoredContribution extends TransitionContribution {
  readonly id: string;
  readonly naturalKey: string;
  readonly streamId: string;
  readonly rowNo: number;
}

export interface EmployerRow {
  readonly id: string;
  readonly employerKey: string;
  readonly riskClass: RiskClass | null;
}

/** Injury results that count as a recognized injury for the floating rule (认定工伤, 视同工伤). */
const RECOGNIZED = ['recognized', 'deemed'];

/** Cities with employers or cases, or just those asked for. */
export async function transitionCities(db: Db, cities?: readonly string[]): Promise<string[]> {
  if (cities?.length) return [...new Set(cities)].sort();
  const rows = (await db.raw(
    `SELECT city_code FROM province.employer UNION SELECT city_code FROM province.injury_case ORDER BY 1`,
  )) as { rows: { city_code: string }[] };
  return rows.rows.map((r) => r.city_code);
}

/** Employers of a city by employer key, a page after `afterKey`. */
export async function readEmployerPage(db: Db, cityCode: string, afterKey: string | null, limit: number): Promise<EmployerRow[]> {
  const q = db('province.employer').where({ city_code: cityCode }).orderBy('employer_key').limit(limit).select('id', 'employer_key', 'risk_class');
  if (afterKey !== null) q.where('employer_key', '>', afterKey);
  const rows = (await q) as { id: string; employer_key: string; risk_class: number | null }[];
  return rows.map((r) => ({ id: r.id, employerKey: r.employer_key, riskClass: r.risk_class === null ? null : (String(r.risk_class) as RiskClass) }));
}

/** Contribution rows of periods before `beforePeriod`, by employer id, oldest first. */
export async function readContributions(db: Db, employerIds: readonly string[], beforePeriod: string): Promise<Map<string, StoredContribution[]>> {
  const rows = (await db('province.contribution')
    .whereIn('employer_id', employerIds)
    .where('period', '<', beforePeriod)
    .orderBy([{ column: 'employer_id' }, { column: 'period' }])
    .select('id', 'employer_id', 'period', 'amount_due_fen', 'amount_paid_fen', 'payroll_base_fen', db.raw('rate::text as rate'), 'natural_key', 'stream_id', 'row_no')) as {
    id: string;
    employer_id: string;
    period: string;
    amount_due_fen: string;
    amount_paid_fen: string | null;
    payroll_base_fen: string | null;
    rate: string | null;
    natural_key: string;
    stream_id: string;
    row_no: number;
  }[];
  const out = new Map<string, StoredContribution[]>();
  for (const r of rows) {
    const list = out.get(r.employer_id) ?? [];
    list.push({
      id: r.id,
      period: r.period,
      dueFen: BigInt(r.amount_due_fen),
      paidFen: r.amount_paid_fen === null ? null : BigInt(r.amount_paid_fen),
      payrollFen: r.payroll_base_fen === null ? null : BigInt(r.payroll_base_fen),
      rate: r.rate,
      naturalKey: r.natural_key,
      streamId: r.stream_id,
      rowNo: r.row_no,
    });
    out.set(r.employer_id, list);
  }
  return out;
}

/** Benefits the fund paid in `year` for each employer's cases (fen). */
export async function readBenefitsPaid(db: Db, employerIds: readonly string[], year: number): Promise<Map<string, bigint>> {
  const rows = (await db('province.benefit_payment as b')
    .join('province.injury_case as c', 'c.id', 'b.case_id')
    .whereIn('c.employer_id', employerIds)
    .whereBetween('b.period', [`${year}-01`, `${year}-12`])
    .groupBy('c.employer_id')
    .select('c.employer_id', db.raw('sum(b.amount_fen)::text as total'))) as { employer_id: string; total: string }[];
  return new Map(rows.map((r) => [r.employer_id, BigInt(r.total)]));
}

/** Determination dates of each employer's recognized injuries in `year`. */
export async function readNewInjuries(db: Db, employerIds: readonly string[], year: number): Promise<Map<string, string[]>> {
  const rows = (await db('province.injury_case')
    .whereIn('employer_id', employerIds)
    .whereIn('result', RECOGNIZED)
    .whereBetween('determination_date', [`${year}-01-01`, `${year}-12-31`])
    .orderBy(['employer_id', 'determination_date'])
    .select('employer_id', 'determination_date')) as { employer_id: string; determination_date: string }[];
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.employer_id, [...(out.get(r.employer_id) ?? []), r.determination_date]);
  return out;
}

/** The latest monthly payment of a benefit being paid, with its case and latest appraisal. */
export interface PaidBenefit {
  readonly benefitKey: string;
  readonly kind: MonthlyBenefitKind;
  readonly caseId: string;
  readonly caseNo: string;
  readonly paymentId: string;
  readonly paymentKey: string;
  readonly period: string;
  readonly amountFen: bigint;
  readonly streamId: string;
  readonly rowNo: number;
  readonly disabilityGrade: DisabilityGrade | null;
  readonly nursingLevel: NursingLevel | null;
  readonly appraisalDate: string | null;
}

/** The key of a benefit being paid: the case (city and case number) and the benefit type. */
export const benefitKeyOf = (cityCode: string, caseNo: string, kind: string): string => `${cityCode}|${caseNo}|${kind}`;

/**
 * The monthly benefits of a city's cases paid for a period in [fromPeriod, beforePeriod), each
 * with its latest such payment and the case's latest appraisal before `beforeDate`.
 */
export async function readPaidBenefits(db: Db, cityCode: string, fromPeriod: string, beforePeriod: string, beforeDate: string): Promise<PaidBenefit[]> {
  const { rows } = (await db.raw(
    `SELECT DISTINCT ON (c.case_no, b.benefit_type)
            b.id, b.natural_key, b.benefit_type, b.period, b.amount_fen, b.stream_id, b.row_no,
            c.id AS case_id, c.case_no, a.disability_grade, a.nursing_level, a.appraisal_date
       FROM province.benefit_payment b
       JOIN province.injury_case c ON c.id = b.case_id
       LEFT JOIN LATERAL (
         SELECT disability_grade, nursing_level, appraisal_date FROM province.appraisal
          WHERE case_id = c.id AND appraisal_date < ? ORDER BY appraisal_date DESC LIMIT 1
       ) a ON true
      WHERE c.city_code = ? AND b.benefit_type = ANY(?) AND b.period >= ? AND b.period < ?
      ORDER BY c.case_no, b.benefit_type, b.period DESC`,
    [beforeDate, cityCode, [...MONTHLY_BENEFIT_KINDS], fromPeriod, beforePeriod],
  )) as {
    rows: {
      id: string;
      natural_key: string;
      benefit_type: MonthlyBenefitKind;
      period: string;
      amount_fen: string;
      stream_id: string;
      row_no: number;
      case_id: string;
      case_no: string;
      disability_grade: number | null;
      nursing_level: number | null;
      appraisal_date: string | null;
    }[];
  };
  return rows.map((r) => ({
    benefitKey: benefitKeyOf(cityCode, r.case_no, r.benefit_type),
    kind: r.benefit_type,
    caseId: r.case_id,
    caseNo: r.case_no,
    paymentId: r.id,
    paymentKey: r.natural_key,
    period: r.period,
    amountFen: BigInt(r.amount_fen),
    streamId: r.stream_id,
    rowNo: r.row_no,
    disabilityGrade: r.disability_grade === null ? null : (String(r.disability_grade) as DisabilityGrade),
    nursingLevel: r.nursing_level === null ? null : (String(r.nursing_level) as NursingLevel),
    appraisalDate: r.appraisal_date,
  }));
}

export interface BaseRun {
  readonly runId: string;
  readonly switchOver: string;
  readonly effectiveFrom: string;
}

/** The run a computation from `effective` continues: the city's latest run that took effect before it. */
export async function readBaseRun(db: Db, cityCode: string, effective: string): Promise<BaseRun | null> {
  const row = (await db('province.rate_transition_run')
    .where({ city_code: cityCode })
    .where('effective_from', '<', effective)
    .orderBy('run_version', 'desc')
    .first('run_id', 'switch_over', 'effective_from')) as { run_id: string; switch_over: string; effective_from: string } | undefined;
  return row ? { runId: row.run_id, switchOver: row.switch_over, effectiveFrom: row.effective_from } : null;
}

/** The paths of the base run for these employers. */
export async function readBasePaths(db: Db, runId: string, employerIds: readonly string[]): Promise<Map<string, PathAnchor>> {
  const rows = (await db('province.employer_rate_path')
    .where({ run_id: runId })
    .whereIn('employer_id', employerIds)
    .select('employer_id', 'start_rate', 'target_rate', 'max_step', 'start_date')) as {
    employer_id: string;
    start_rate: string | null;
    target_rate: string;
    max_step: string;
    start_date: string;
  }[];
  return new Map(rows.map((r) => [r.employer_id, { startRate: r.start_rate, target: r.target_rate, maxStep: r.max_step, start: r.start_date }]));
}

/** The benefit schedules of the base run, by benefit key. */
export async function readBaseSchedules(db: Db, runId: string): Promise<Map<string, ScheduleAnchor>> {
  const rows = (await db('province.benefit_transition_step')
    .where({ run_id: runId })
    .orderBy(['benefit_key', 'step'])
    .select('benefit_key', 'effective', 'previous_fen', 'amount_fen')) as { benefit_key: string; effective: string; previous_fen: string; amount_fen: string }[];
  const out = new Map<string, { effective: string; previousFen: bigint; amountFen: bigint }[]>();
  for (const r of rows) {
    const list = out.get(r.benefit_key) ?? [];
    list.push({ effective: r.effective, previousFen: BigInt(r.previous_fen), amountFen: BigInt(r.amount_fen) });
    out.set(r.benefit_key, list);
  }
  return out;
}

/**
 * One city's transition from its records, in two pure steps the I/O layer can feed in chunks:
 * `planEmployer` reads an employer's record (legacy rate, payroll base, band, target, where its
 * path starts) and `finishCityTransition` lays every employer's yearly path over one horizon
 * and projects the city's income. `planBenefit` does the same for a monthly benefit. A run
 * either starts at the switch-over from the legacy rates, or continues an earlier run (a
 * re-banding or a new policy version) from the rate in force the day before (transition-rules.md).
 */
import type { DisabilityGrade, NursingLevel, RiskClass } from '../../../mappings/province/enumerations';
import { div, ratio, roundHalfUp } from '../decimal';
import { fail, ok, type Reason, type RuleResult } from '../rules/result';
import { benefitStandard, type BenefitStandard } from './benefit-standard';
import { benefitTransition, type BenefitSchedule, type BenefitStepRecord, type MonthlyBenefitKind } from './benefit-transition';
import { legacyRateOf, payrollBase, type ContributionRow, type LegacyRate, type PayrollBase } from './contribution-history';
import { checkIsoDate, periodOf, previousDay, yearOf } from './dates';
import { chooseBand, type BandChoice } from './floating';
import { projectCityIncome, summarizeMovements, type CityIncomeImpact, type EmployerProjectionInput, type RateMovements } from './income-impact';
import { rateInForce, ratePath, targetRate, type PathAnchor, type RatePath } from './rate-path';
import type { RatePolicy } from './rate-policy';
import { formatRate } from './rate-text';

/** A contribution row as loaded (缴费记录): amounts in fen, payroll and rate where the source had them. */
export interface TransitionContribution {
  readonly period: string;
  readonly dueFen: bigint;
  readonly paidFen: bigint | null;
  readonly payrollFen: bigint | null;
  readonly rate: string | null;
}

export interface EmployerRecordInput<R extends TransitionContribution> {
  readonly employerKey: string;
  readonly riskClass: RiskClass | null;
  /** the employer's contribution rows of periods before the run's effective month */
  readonly contributions: readonly R[];
  /** benefits the fund paid in the assessed year for the employer's cases */
  readonly benefitsPaidFen: bigint;
  /** determination dates of the employer's recognized injuries (other years are ignored) */
  readonly injuryDeterminationDates: readonly string[];
  /** the path the employer is on, when this run continues an earlier one */
  readonly basePath: PathAnchor | null;
}

export interface TransitionContext {
  readonly policy: RatePolicy;
  /** step 0 of every path of the run: the switch-over, a re-banding date or a new policy's date */
  readonly effective: string;
  /** the city's switch-over: legacy rates and payroll bases are taken from the periods before it */
  readonly switchOver: string;
}

/** Where a path starts: the legacy rate, the rate in force under the earlier run, or the target. */
export type StartBasis = 'legacy' | 'rate_in_force' | 'target';

/** How the legacy rate was known: written on the contribution rows, or due ÷ payroll. */
export type RateSource = 'stated' | 'derived';

export interface EmployerPlan<R extends TransitionContribution> {
  readonly employerKey: string;
  readonly riskClass: RiskClass;
  readonly legacy: { readonly rate: string; readonly period: string; readonly source: RateSource; readonly rows: readonly R[] } | null;
  readonly band: BandChoice;
  readonly target: string;
  readonly startRate: string | null;
  readonly startBasis: StartBasis;
  readonly payroll: { readonly baseFen: bigint; readonly periods: readonly string[]; readonly rows: readonly R[]; readonly missingPayrollRows: number };
  /** the years the path takes to reach its target (0 when it starts there) */
  readonly moves: number;
}

/** A row with the rate and payroll the history rules read, and the caller's row behind it. */
interface Read<R> extends ContributionRow {
  readonly row: R;
  readonly source: RateSource;
}

/** Rates derived from due ÷ payroll are rounded to this many places (rates are set in 0.001 %). */
const DERIVED_RATE_PLACES = 5;

/**
 * The rate of a row: as stated, else due ÷ payroll. The due amount was rounded to the fen, so the
 * quotient is rounded back to the places rates are written in.
 */
function rateOf(row: TransitionContribution): { rate: string; source: RateSource } | null {
  if (row.rate !== null) return { rate: row.rate, source: 'stated' };
  if (row.payrollFen === null || row.payrollFen <= 0n) return null;
  const scale = 10n ** BigInt(DERIVED_RATE_PLACES);
  const scaled = roundHalfUp(div(ratio(row.dueFen * scale), ratio(row.payrollFen)));
  return { rate: formatRate(ratio(scaled, scale)), source: 'derived' };
}

function legacyOf<R extends TransitionContribution>(
  rows: readonly R[],
  switchOver: string,
): RuleResult<EmployerPlan<R>['legacy']> {
  const before = rows.filter((r) => r.period < periodOf(switchOver));
  if (before.length === 0) return ok(null);
  const latest = before.reduce((p, r) => (r.period > p ? r.period : p), before[0]!.period);
  const read: Read<R>[] = [];
  for (const row of before) {
    const rate = rateOf(row);
    if (rate === null) {
      if (row.period === latest) return fail({ code: 'legacy_rate.unknown', field: 'rate', detail: `period ${latest} has neither a rate nor a payroll base` });
      continue;
    }
    read.push({ period: row.period, payrollFen: row.payrollFen ?? 0n, rate: rate.rate, row, source: rate.source });
  }
  const legacy = legacyRateOf(read, switchOver);
  if (!legacy.ok) return legacy;
  const found: LegacyRate<Read<R>> | null = legacy.value;
  if (found === null) return ok(null);
  const source: RateSource = found.rows.every((r) => r.source === 'stated') ? 'stated' : 'derived';
  return ok({ rate: found.rate, period: found.period, source, rows: found.rows.map((r) => r.row) });
}

function payrollOf<R extends TransitionContribution>(rows: readonly R[], switchOver: string): EmployerPlan<R>['payroll'] {
  const read = rows.map((row) => ({ period: row.period, payrollFen: row.payrollFen ?? 0n, rate: '0', row }));
  const base: PayrollBase<(typeof read)[number]> = payrollBase(read, switchOver);
  const used = base.rows.map((r) => r.row);
  return { baseFen: base.baseFen, periods: base.periods, rows: used, missingPayrollRows: used.filter((r) => r.payrollFen === null).length };
}

/** The year whose record decides the band: the calendar year before the path's step 0. */
export const assessedYearOf = (effective: string): number => yearOf(effective) - 1;

/** An employer's legacy rate, band, target and the start of its path, with everything used. */
export function planEmployer<R extends TransitionContribution>(input: EmployerRecordInput<R>, ctx: TransitionContext): RuleResult<EmployerPlan<R>> {
  checkIsoDate(ctx.effective);
  if (input.riskClass === null) return fail({ code: 'transition.no_risk_class', field: 'risk_class', detail: 'the employer has no industry risk class' });
  const legacy = legacyOf(input.contributions, ctx.switchOver);
  if (!legacy.ok) return legacy;
  const assessedYear = assessedYearOf(ctx.effective);
  const yearPrefix = `${assessedYear}-`;
  const band = chooseBand(
    {
      riskClass: input.riskClass,
      assessedYear,
      contributionPeriods: input.contributions.map((r) => r.period),
      contributionsPaidFen: input.contributions.filter((r) => r.period.startsWith(yearPrefix)).reduce((s, r) => s + (r.paidFen ?? r.dueFen), 0n),
      benefitsPaidFen: input.benefitsPaidFen,
      injuryDeterminationDates: input.injuryDeterminationDates,
    },
    ctx.policy,
  );
  const target = targetRate(input.riskClass, band.band, ctx.policy);
  const inForce = input.basePath ? rateInForce(input.basePath, previousDay(ctx.effective)) : null;
  const [startRate, startBasis]: [string | null, StartBasis] =
    inForce !== null ? [inForce, 'rate_in_force'] : legacy.value ? [legacy.value.rate, 'legacy'] : [null, 'target'];
  return ok({
    employerKey: input.employerKey,
    riskClass: input.riskClass,
    legacy: legacy.value,
    band,
    target,
    startRate,
    startBasis,
    payroll: payrollOf(input.contributions, ctx.switchOver),
    moves: ratePath(startRate, target, ctx.policy.max_step, ctx.effective).moves,
  });
}

export interface EmployerTransition<R extends TransitionContribution> {
  readonly plan: EmployerPlan<R>;
  readonly path: RatePath;
}

export interface CityTransition<R extends TransitionContribution> {
  readonly cityCode: string;
  /** the years projected and listed on every path */
  readonly years: number;
  readonly employers: readonly EmployerTransition<R>[];
  readonly impact: CityIncomeImpact;
  /** up, down, stay and new against where each path starts (the legacy rate at the switch-over) */
  readonly movements: RateMovements;
}

/** Every employer's yearly path over one horizon (default: until the slowest reaches its target), and the city's income. */
export function finishCityTransition<R extends TransitionContribution>(
  cityCode: string,
  plans: readonly EmployerPlan<R>[],
  ctx: TransitionContext,
  years?: number,
): CityTransition<R> {
  const horizon = years ?? Math.max(1, ...plans.map((p) => p.moves));
  const employers = plans.map((plan) => ({ plan, path: ratePath(plan.startRate, plan.target, ctx.policy.max_step, ctx.effective, horizon) }));
  const projection: EmployerProjectionInput[] = employers.map(({ plan, path }) => ({
    employerKey: plan.employerKey,
    payrollBaseFen: plan.payroll.baseFen,
    legacyRate: plan.legacy?.rate ?? null,
    path,
  }));
  const impact = projectCityIncome({ cityCode, switchOver: ctx.effective, years: horizon, maxIncomeSwing: ctx.policy.max_income_swing, employers: projection });
  // A continued run moves employers from the rate in force, not from the legacy rate.
  const movements = summarizeMovements(projection.map((e) => ({ ...e, legacyRate: e.path.startRate })));
  return { cityCode, years: horizon, employers, impact, movements };
}

/** What fixes a stored benefit schedule for any date. */
export type ScheduleAnchor = readonly Pick<BenefitStepRecord, 'effective' | 'previousFen' | 'amountFen'>[];

/** A monthly benefit being paid, as the transition reads it. */
export interface BenefitInput {
  readonly benefitKey: string;
  readonly kind: MonthlyBenefitKind;
  /** the latest monthly amount paid before the run's effective date */
  readonly paidFen: bigint;
  readonly disabilityGrade: DisabilityGrade | null;
  readonly nursingLevel: NursingLevel | null;
  /** the schedule the benefit is on, when this run continues an earlier one */
  readonly baseSchedule: ScheduleAnchor | null;
}

export interface BenefitPlan {
  readonly legacyFen: bigint;
  /** the amount paid, or the amount in force under the earlier run's schedule */
  readonly legacyBasis: 'paid' | 'schedule';
  readonly standard: BenefitStandard;
  readonly schedule: BenefitSchedule;
}

/** The amount a schedule puts in force on `date` (its first previous amount before it starts). */
export function benefitAmountOn(records: ScheduleAnchor, date: string): bigint | null {
  const first = records[0];
  if (!first) return null;
  let amount = first.effective <= date ? first.amountFen : first.previousFen;
  for (const r of records) if (r.effective <= date) amount = r.amountFen;
  return amount;
}

/** A benefit's standard and its schedule from the run's effective date. */
export function planBenefit(input: BenefitInput, ctx: TransitionContext): RuleResult<BenefitPlan> {
  const standards = ctx.policy.benefit_standards;
  if (!standards) return fail({ code: 'benefit_standard.no_policy', detail: `policy ${ctx.policy.version} has no benefit_standards` });
  const inForce = input.baseSchedule ? benefitAmountOn(input.baseSchedule, previousDay(ctx.effective)) : null;
  const legacyFen = inForce ?? input.paidFen;
  const standard = benefitStandard({ kind: input.kind, legacyFen, disabilityGrade: input.disabilityGrade, nursingLevel: input.nursingLevel }, standards);
  if (!standard.ok) return standard;
  const schedule = benefitTransition({ benefitKey: input.benefitKey, kind: input.kind, legacyFen, standardFen: standard.value.standardFen }, ctx.policy.benefit_steps, ctx.effective);
  return ok({ legacyFen, legacyBasis: inForce === null ? 'paid' : 'schedule', standard: standard.value, schedule });
}

/** A reason about one employer or benefit, for a run's list of what could not be planned. */
export interface TransitionReason extends Reason {
  readonly subject: string;
}

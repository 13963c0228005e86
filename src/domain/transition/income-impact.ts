/**
 * Income impact of the rate transition for one city (transition-rules.md): projected contribution
 * income per year under the employers' paths against their legacy rates, the years whose swing
 * exceeds max_income_swing flagged for review, and how the city's employers move.
 */
import { applyRatio, compare, parseDecimal, ratio, sub, type Ratio } from '../decimal';
import { anniversary } from './dates';
import { rateInForce, type RatePath } from './rate-path';
import { absRatio, formatRate, formatRatio, parseNonNegative } from './rate-text';

export interface EmployerProjectionInput {
  readonly employerKey: string;
  /** from `payrollBase`: payroll of the last 12 contribution periods before the switch-over */
  readonly payrollBaseFen: bigint;
  /** from `legacyRateOf`; null for an employer without contributions before the switch-over */
  readonly legacyRate: string | null;
  readonly path: RatePath;
}

export interface CityProjectionInput {
  readonly cityCode: string;
  /** path year k runs from the k-th anniversary of this date */
  readonly switchOver: string;
  /** how many path years to project */
  readonly years: number;
  /** the policy's max_income_swing, a fraction ("0.10") */
  readonly maxIncomeSwing: string;
  readonly employers: readonly EmployerProjectionInput[];
}

export interface EmployerYearIncome {
  readonly employerKey: string;
  /** the path rate in force that year; null when none is yet */
  readonly rate: string | null;
  /** round_half_up(payroll base × path rate) */
  readonly projectedFen: bigint;
  /** round_half_up(payroll base × legacy rate) */
  readonly legacyFen: bigint;
}

export interface CityYearIncome {
  /** 0 = the year from the switch-over */
  readonly yearIndex: number;
  readonly from: string;
  readonly projectedFen: bigint;
  readonly legacyFen: bigint;
  /** the year before: the legacy income for year 0, the previous projection after it */
  readonly previousFen: bigint;
  /** (projected − previous) ÷ previous, exact; null when the previous year is zero */
  readonly change: Ratio | null;
  readonly changeText: string;
  /** |change| > max_income_swing (a rise from zero always counts) */
  readonly flagged: boolean;
  readonly employers: readonly EmployerYearIncome[];
}

/** Employers moving one way: how many, by how much (target − legacy) and over how many years. */
export interface MovementGroup {
  readonly count: number;
  readonly smallestChange: string | null;
  readonly largestChange: string | null;
  readonly longestYears: number;
  /** years of transition → number of employers */
  readonly byYears: Readonly<Record<number, number>>;
}

export interface RateMovements {
  readonly up: MovementGroup;
  readonly down: MovementGroup;
  /** legacy rate equals the target */
  readonly stay: number;
  /** no legacy rate: starts at its target */
  readonly new: number;
}

export interface CityIncomeImpact {
  readonly cityCode: string;
  readonly switchOver: string;
  readonly maxIncomeSwing: string;
  readonly years: readonly CityYearIncome[];
  readonly flaggedYears: readonly number[];
  readonly movements: RateMovements;
}

/** A year's contribution of one employer: round_half_up(payroll base × rate), per employer. */
const incomeAt = (baseFen: bigint, rate: string | null): bigint =>
  rate === null ? 0n : applyRatio(baseFen, parseNonNegative(rate, 'rate'));

/**
 * The swing of a year against the one before. From a zero year there is no ratio: staying at
 * zero is no swing, any income at all is flagged.
 */
function swing(previousFen: bigint, projectedFen: bigint, maxSwing: Ratio): Pick<CityYearIncome, 'change' | 'changeText' | 'flagged'> {
  if (previousFen === 0n) {
    return projectedFen === 0n
      ? { change: ratio(0n), changeText: formatRatio(ratio(0n)), flagged: false }
      : { change: null, changeText: 'from zero', flagged: true };
  }
  const change = ratio(projectedFen - previousFen, previousFen);
  return { change, changeText: formatRatio(change), flagged: compare(absRatio(change), maxSwing) > 0 };
}

function employerYear(e: EmployerProjectionInput, date: string): EmployerYearIncome {
  // Null only before the path of an employer without a legacy rate starts: nothing is due yet.
  const rate = rateInForce(e.path, date);
  // Without a legacy rate there is nothing to transition from: its own path is its baseline.
  const legacy = e.legacyRate ?? rate;
  return {
    employerKey: e.employerKey,
    rate,
    projectedFen: incomeAt(e.payrollBaseFen, rate),
    legacyFen: incomeAt(e.payrollBaseFen, legacy),
  };
}

const emptyGroup = (): { count: number; changes: Ratio[]; byYears: Record<number, number> } => ({
  count: 0,
  changes: [],
  byYears: {},
});

/** Up, down, stay, new — by target against legacy rate, with the years each path takes. */
export function summarizeMovements(employers: readonly EmployerProjectionInput[]): RateMovements {
  const groups = { up: emptyGroup(), down: emptyGroup() };
  let stay = 0;
  let fresh = 0;
  for (const e of employers) {
    if (e.legacyRate === null) {
      fresh++;
      continue;
    }
    const change = sub(parseDecimal(e.path.target), parseNonNegative(e.legacyRate, 'legacy rate'));
    if (change.num === 0n) {
      stay++;
      continue;
    }
    const g = change.num > 0n ? groups.up : groups.down;
    g.count++;
    g.changes.push(change);
    g.byYears[e.path.moves] = (g.byYears[e.path.moves] ?? 0) + 1;
  }
  const finish = (g: ReturnType<typeof emptyGroup>): MovementGroup => {
    // Ordered by size of the move, whichever its direction.
    const sizes = [...g.changes].sort((a, b) => compare(absRatio(a), absRatio(b)));
    const years = Object.keys(g.byYears).map(Number);
    return {
      count: g.count,
      smallestChange: sizes.length ? formatRate(sizes[0]!) : null,
      largestChange: sizes.length ? formatRate(sizes[sizes.length - 1]!) : null,
      longestYears: years.length ? Math.max(...years) : 0,
      byYears: g.byYears,
    };
  };
  return { up: finish(groups.up), down: finish(groups.down), stay, new: fresh };
}

/** Projected contribution income of a city, year by year, against its legacy income. */
export function projectCityIncome(input: CityProjectionInput): CityIncomeImpact {
  const maxSwing = parseNonNegative(input.maxIncomeSwing, 'max_income_swing');
  const years: CityYearIncome[] = [];
  let previousFen: bigint | null = null;
  for (let k = 0; k < input.years; k++) {
    const from = anniversary(input.switchOver, k);
    const employers = input.employers.map((e) => employerYear(e, from));
    const projectedFen = employers.reduce((s, e) => s + e.projectedFen, 0n);
    const legacyFen = employers.reduce((s, e) => s + e.legacyFen, 0n);
    const before: bigint = previousFen ?? legacyFen;
    years.push({ yearIndex: k, from, projectedFen, legacyFen, previousFen: before, ...swing(before, projectedFen, maxSwing), employers });
    previousFen = projectedFen;
  }
  return {
    cityCode: input.cityCode,
    switchOver: input.switchOver,
    maxIncomeSwing: input.maxIncomeSwing,
    years,
    flaggedYears: years.filter((y) => y.flagged).map((y) => y.yearIndex),
    movements: summarizeMovements(input.employers),
  };
}

/**
 * What an employer's contribution rows before the switch-over say about the transition: its
 * legacy rate and its yearly payroll base. Rows are returned as given, so the caller keeps the
 * lineage to the contribution rows (their ids, their source locators).
 */
import { compare, parseDecimal } from '../decimal';
import { fail, ok, type RuleResult } from '../rules/result';
import { checkPeriod, periodOf } from './dates';
import { formatRate } from './rate-text';

/** One normalized contribution row (缴费记录): period, payroll base in fen, the rate applied. */
export interface ContributionRow {
  readonly period: string;
  readonly payrollFen: bigint;
  readonly rate: string;
}

export interface LegacyRate<R extends ContributionRow> {
  readonly rate: string;
  readonly period: string;
  /** the rows of that period that set it */
  readonly rows: readonly R[];
}

export interface PayrollBase<R extends ContributionRow> {
  /** payroll summed over the last 12 contribution periods before the switch-over */
  readonly baseFen: bigint;
  /** those periods, oldest first (fewer than 12 for a young employer) */
  readonly periods: readonly string[];
  readonly rows: readonly R[];
}

const BASE_PERIODS = 12;

/**
 * Rows of periods before the switch-over, by period, latest first. The switch-over month itself
 * is already under the provincial policy, so "before" means an earlier month.
 */
function periodsBefore<R extends ContributionRow>(rows: readonly R[], switchOver: string): [string, R[]][] {
  const cutoff = periodOf(switchOver);
  const byPeriod = new Map<string, R[]>();
  for (const row of rows) {
    if (checkPeriod(row.period) >= cutoff) continue;
    const list = byPeriod.get(row.period) ?? [];
    list.push(row);
    byPeriod.set(row.period, list);
  }
  return [...byPeriod.entries()].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0));
}

/**
 * The legacy rate: the rate of the latest contribution period before the switch-over. Null when
 * the employer has no such period (it then starts at its target). Rows of that period with
 * different rates are refused as `legacy_rate.ambiguous` rather than one of them being picked.
 */
export function legacyRateOf<R extends ContributionRow>(
  rows: readonly R[],
  switchOver: string,
): RuleResult<LegacyRate<R> | null> {
  const latest = periodsBefore(rows, switchOver)[0];
  if (!latest) return ok(null);
  const [period, periodRows] = latest;
  const rates = periodRows.map((r) => parseDecimal(r.rate));
  const first = rates[0]!;
  if (rates.some((r) => compare(r, first) !== 0)) {
    const seen = [...new Set(rates.map(formatRate))].join(', ');
    return fail({ code: 'legacy_rate.ambiguous', field: 'rate', detail: `period ${period} has rates ${seen}` });
  }
  return ok({ rate: formatRate(first), period, rows: periodRows });
}

/** The payroll base of the income projection: the last 12 contribution periods before the switch-over. */
export function payrollBase<R extends ContributionRow>(rows: readonly R[], switchOver: string): PayrollBase<R> {
  const used = periodsBefore(rows, switchOver).slice(0, BASE_PERIODS).reverse();
  const usedRows = used.flatMap(([, r]) => r);
  return {
    baseFen: usedRows.reduce((sum, r) => sum + r.payrollFen, 0n),
    periods: used.map(([p]) => p),
    rows: usedRows,
  };
}

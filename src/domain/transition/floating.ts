/**
 * Floating rates (浮动费率): which band of its class an employer pays, chosen from its record of
 * the previous calendar year by the policy's floating rule (transition-rules.md).
 */
import { compare, div, parseDecimal, ratio, type Ratio } from '../decimal';
import { checkIsoDate, checkPeriod } from './dates';
import { formatRatio } from './rate-text';
import type { RiskClass } from '../../../mappings/province/enumerations';
import type { RatePolicy } from './rate-policy';

/** What the floating rule reads about one employer; amounts in fen. */
export interface FloatingRecord {
  readonly riskClass: RiskClass;
  /** the previous calendar year, whose record decides the band */
  readonly assessedYear: number;
  /** 'YYYY-MM' periods the employer paid contributions for (any years; later ones are ignored) */
  readonly contributionPeriods: readonly string[];
  /** contributions the employer paid in the assessed year */
  readonly contributionsPaidFen: bigint;
  /** benefits the fund paid in the assessed year for the employer's cases */
  readonly benefitsPaidFen: bigint;
  /** determination dates (认定工伤决定) of the employer's recognized injuries, any years */
  readonly injuryDeterminationDates: readonly string[];
}

export type BandBasis =
  /** the class does not float (default: classes 1–2) */
  | 'non_floating_class'
  /** less than one full year of contributions, e.g. a new employer */
  | 'short_contribution_history'
  /** the ratio table */
  | 'floating_table';

export interface BandChoice {
  /** the multiple of the base rate, as written in the policy ("0.8") */
  readonly band: string;
  readonly basis: BandBasis;
  /** benefits ÷ contributions, exact; null when not computed or when contributions were zero */
  readonly ratio: Ratio | null;
  /** the ratio to four places, or a note on how a zero contribution total was read */
  readonly ratioText: string | null;
  /** 0-based column of the floating table used; null outside the table */
  readonly column: number | null;
  readonly hadNewInjury: boolean;
  /** everything the choice was made from, for the record */
  readonly inputs: {
    readonly policyVersion: string;
    readonly riskClass: RiskClass;
    readonly assessedYear: number;
    readonly contributionMonths: number;
    readonly contributionsPaidFen: bigint;
    readonly benefitsPaidFen: bigint;
    readonly newInjuries: number;
  };
}

/** Distinct monthly periods paid up to the end of the assessed year. */
function contributionMonths(record: FloatingRecord): number {
  const last = `${record.assessedYear}-12`;
  return new Set(record.contributionPeriods.map(checkPeriod).filter((p) => p <= last)).size;
}

function newInjuries(record: FloatingRecord): number {
  const prefix = `${record.assessedYear}-`;
  return record.injuryDeterminationDates.map(checkIsoDate).filter((d) => d.startsWith(prefix)).length;
}

/**
 * The ratio column. With contributions of zero (a waiver year such as 2020, or arrears) the
 * ratio is undefined, so it is read as its limit: no benefits either → the lowest column (the
 * fund paid nothing out); benefits paid → above every threshold (the fund paid out, took nothing in).
 */
function ratioColumn(
  thresholds: readonly string[],
  contributionsFen: bigint,
  benefitsFen: bigint,
): { column: number; exact: Ratio | null; text: string } {
  if (contributionsFen === 0n) {
    return benefitsFen === 0n
      ? { column: 0, exact: null, text: 'no contributions, no benefits' }
      : { column: thresholds.length, exact: null, text: 'no contributions, benefits paid' };
  }
  const exact = div(ratio(benefitsFen), ratio(contributionsFen));
  const at = thresholds.findIndex((t) => compare(exact, parseDecimal(t)) <= 0);
  return { column: at === -1 ? thresholds.length : at, exact, text: formatRatio(exact) };
}

/** The band an employer pays from the effective date of `policy`, with the inputs used. */
export function chooseBand(record: FloatingRecord, policy: RatePolicy): BandChoice {
  if (record.contributionsPaidFen < 0n || record.benefitsPaidFen < 0n) {
    throw new RangeError('contributions and benefits paid must not be negative');
  }
  const rule = policy.floating_rule;
  const inputs = {
    policyVersion: policy.version,
    riskClass: record.riskClass,
    assessedYear: record.assessedYear,
    contributionMonths: contributionMonths(record),
    contributionsPaidFen: record.contributionsPaidFen,
    benefitsPaidFen: record.benefitsPaidFen,
    newInjuries: newInjuries(record),
  };
  const hadNewInjury = inputs.newInjuries > 0;
  const outsideTable = (basis: BandBasis): BandChoice => ({
    band: rule.default_band,
    basis,
    ratio: null,
    ratioText: null,
    column: null,
    hadNewInjury,
    inputs,
  });
  if (rule.non_floating_classes.includes(record.riskClass)) return outsideTable('non_floating_class');
  if (inputs.contributionMonths < rule.min_contribution_months) return outsideTable('short_contribution_history');

  const { column, exact, text } = ratioColumn(rule.ratio_thresholds, record.contributionsPaidFen, record.benefitsPaidFen);
  const row = hadNewInjury ? rule.new_injury : rule.no_new_injury;
  const band = row[column];
  // The schema makes every row one longer than the thresholds, so a missing cell is a bug.
  if (band === undefined) throw new Error(`floating rule has no band in column ${column}`);
  return { band, basis: 'floating_table', ratio: exact, ratioText: text, column, hadNewInjury, inputs };
}

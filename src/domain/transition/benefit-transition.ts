/**
 * Benefit transition (待遇过渡) for benefits paid monthly — 伤残津贴, 供养亲属抚恤金, 生活护理费 — when a
 * city's legacy amount differs from the provincial standard (transition-rules.md): below the
 * standard it is raised in `benefit_steps` equal yearly steps; above it, it is kept (保留), never
 * reduced. Amounts are monthly, in fen.
 */
import type { BenefitType } from '../../../mappings/province/enumerations';
import { ratio, roundHalfUp } from '../decimal';
import { anniversary, checkIsoDate } from './dates';

/** The benefit types paid monthly, out of the provincial enumeration. */
export const MONTHLY_BENEFIT_KINDS = ['disability_allowance', 'dependent_pension', 'nursing_care'] as const satisfies readonly BenefitType[];
export type MonthlyBenefitKind = (typeof MONTHLY_BENEFIT_KINDS)[number];

export interface MonthlyBenefit {
  /** the caller's key of the benefit being paid (case + benefit type + beneficiary) */
  readonly benefitKey: string;
  readonly kind: MonthlyBenefitKind;
  /** the monthly amount the city pays now */
  readonly legacyFen: bigint;
  /** the province's standard monthly amount (provincial benefit rules and average wage) */
  readonly standardFen: bigint;
}

export type BenefitTreatment =
  /** below the standard: raised step by step */
  | 'raise'
  /** above the standard: kept unchanged until the standard reaches it (保留) */
  | 'keep'
  /** already at the standard */
  | 'at_standard';

/** One dated adjustment with everything it was computed from. */
export interface BenefitStepRecord {
  readonly benefitKey: string;
  readonly kind: MonthlyBenefitKind;
  /** 1 … steps for a raise; 0 for a kept or unchanged amount */
  readonly step: number;
  readonly effective: string;
  readonly previousFen: bigint;
  readonly amountFen: bigint;
  readonly raiseFen: bigint;
  readonly inputs: {
    readonly legacyFen: bigint;
    readonly standardFen: bigint;
    readonly steps: number;
    /** round_half_up((standard − legacy) ÷ steps); 0 unless raised */
    readonly stepFen: bigint;
  };
}

export interface BenefitSchedule {
  readonly benefitKey: string;
  readonly kind: MonthlyBenefitKind;
  readonly treatment: BenefitTreatment;
  readonly records: readonly BenefitStepRecord[];
}

/**
 * The schedule of one benefit from `start` (the switch-over): step k on the (k − 1)-th anniversary.
 * Each step adds the equal step amount and the last lands exactly on the standard. When the
 * rounded step times (steps − 1) would pass the standard (a small gap split into many steps,
 * e.g. 12 fen in 8 steps → 2 fen a step), an early step stops at the standard instead: the
 * amount never passes the standard and never goes down.
 */
export function benefitTransition(benefit: MonthlyBenefit, steps: number, start: string): BenefitSchedule {
  checkIsoDate(start);
  const { legacyFen, standardFen, benefitKey, kind } = benefit;
  if (legacyFen < 0n || standardFen < 0n) throw new RangeError(`${benefitKey}: benefit amounts must not be negative`);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`benefit_steps must be a positive integer: ${steps}`);

  const gap = standardFen - legacyFen;
  const stepFen = gap > 0n ? roundHalfUp(ratio(gap, BigInt(steps))) : 0n;
  const inputs = { legacyFen, standardFen, steps, stepFen };
  const record = (step: number, previousFen: bigint, amountFen: bigint): BenefitStepRecord => ({
    benefitKey,
    kind,
    step,
    effective: anniversary(start, Math.max(step - 1, 0)),
    previousFen,
    amountFen,
    raiseFen: amountFen - previousFen,
    inputs,
  });

  if (gap <= 0n) {
    const treatment = gap < 0n ? 'keep' : 'at_standard';
    return { benefitKey, kind, treatment, records: [record(0, legacyFen, legacyFen)] };
  }
  const records: BenefitStepRecord[] = [];
  let previous = legacyFen;
  for (let k = 1; k <= steps; k++) {
    const planned = k === steps ? standardFen : legacyFen + stepFen * BigInt(k);
    const amount = planned > standardFen ? standardFen : planned;
    records.push(record(k, previous, amount));
    previous = amount;
  }
  return { benefitKey, kind, treatment: 'raise', records };
}

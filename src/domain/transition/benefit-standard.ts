/**
 * The provincial standard amount (待遇标准) of a monthly benefit, from the provincial benefit rules
 * and average wage (domain.md §2, the policy's `benefit_standards`). Each standard is kept with
 * what it was computed from. What a city's records cannot tell (a dependant's relation, the
 * deceased's wage) is settled by the policy's stated share; see the notes on each kind.
 */
import type { DisabilityGrade, NursingLevel } from '../../../mappings/province/enumerations';
import { compare, div, formatDecimal, mul, parseDecimal, ratio, roundHalfUp, type Ratio } from '../decimal';
import { fail, ok, type RuleResult } from '../rules/result';
import type { MonthlyBenefitKind } from './benefit-transition';
import type { BenefitStandards } from './rate-policy';

/** What the standard of one benefit is computed from, beyond the policy. */
export interface BenefitStandardInput {
  readonly kind: MonthlyBenefitKind;
  /** the monthly amount the city pays now, in fen */
  readonly legacyFen: bigint;
  /** of the case's latest appraisal before the switch-over; null when there is none */
  readonly disabilityGrade: DisabilityGrade | null;
  readonly nursingLevel: NursingLevel | null;
}

export interface BenefitStandard {
  readonly standardFen: bigint;
  /** the figures it was computed from, as text, for the record */
  readonly basis: {
    readonly averageWageFen: string;
    readonly share: string;
    readonly disabilityGrade?: DisabilityGrade;
    readonly nursingLevel?: NursingLevel;
    /** disability allowance: legacy ÷ share, to two places of fen */
    readonly impliedWageFen?: string;
    /** disability allowance: the wage after the 60 %–300 % clamp */
    readonly wageFen?: string;
  };
}

const clamp = (value: Ratio, low: Ratio, high: Ratio): Ratio =>
  compare(value, low) < 0 ? low : compare(value, high) > 0 ? high : value;

/** Fen with two decimals, for an implied wage that need not be whole fen. */
const fenText = (r: Ratio): string => formatDecimal(r, 2);

/**
 * - 生活护理费 (nursing care): share of the nursing level × the provincial average wage.
 * - 伤残津贴 (disability allowance): share of the grade × 本人工资, clamped to floor–ceiling × the
 *   provincial average wage (art. 64, the province now being the pooling area). The worker's wage
 *   is not in the city's records, so it is implied by the legacy amount ÷ the share: within the
 *   bounds the standard is the legacy amount itself; only wages clamped by a city's own average
 *   move.
 * - 供养亲属抚恤金 (dependants' pension): the relation of each dependant and the deceased's wage are
 *   not in the city's records, so the standard is the policy's share × the average wage (one
 *   spouse of a deceased on the average wage); higher legacy pensions are kept, never reduced.
 */
export function benefitStandard(input: BenefitStandardInput, standards: BenefitStandards): RuleResult<BenefitStandard> {
  const wage = ratio(BigInt(standards.average_monthly_wage_fen));
  const averageWageFen = standards.average_monthly_wage_fen;
  switch (input.kind) {
    case 'nursing_care': {
      if (input.nursingLevel === null) return fail({ code: 'benefit_standard.no_nursing_level', field: 'nursing_level', detail: 'no appraisal with a nursing level' });
      const share = standards.nursing_care[input.nursingLevel];
      return ok({ standardFen: roundHalfUp(mul(wage, parseDecimal(share))), basis: { averageWageFen, share, nursingLevel: input.nursingLevel } });
    }
    case 'disability_allowance': {
      if (input.disabilityGrade === null) return fail({ code: 'benefit_standard.no_grade', field: 'disability_grade', detail: 'no appraisal with a disability grade' });
      const share = standards.disability_allowance[input.disabilityGrade];
      if (share === undefined) {
        return fail({ code: 'benefit_standard.grade_not_covered', field: 'disability_grade', detail: `grade ${input.disabilityGrade} has no fund allowance in the policy` });
      }
      const s = parseDecimal(share);
      const implied = div(ratio(input.legacyFen), s);
      const bounded = clamp(implied, mul(wage, parseDecimal(standards.wage_floor)), mul(wage, parseDecimal(standards.wage_ceiling)));
      return ok({
        standardFen: roundHalfUp(mul(bounded, s)),
        basis: { averageWageFen, share, disabilityGrade: input.disabilityGrade, impliedWageFen: fenText(implied), wageFen: fenText(bounded) },
      });
    }
    case 'dependent_pension': {
      const share = standards.dependent_pension;
      return ok({ standardFen: roundHalfUp(mul(wage, parseDecimal(share))), basis: { averageWageFen, share } });
    }
  }
}

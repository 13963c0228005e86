/**
 * Project-based work-injury insurance (按项目参保, 人社部发〔2014〕103号): the general contractor pays
 * one premium per construction project before work starts (先参保、再开工). The province sets the
 * formula; the common one is contract value × labour-cost share × rate, some provinces state a
 * plain percentage of the contract value (labour share 1). Pure, exact, in fen.
 */
import { applyRatio, compare, mul, parseDecimal, ratio } from '../domain/decimal';

export interface ProjectPremiumRule {
  /** decimal string, e.g. "0.01" for 1 % */
  rate: string;
  /** share of the contract value counted as labour cost, decimal string; "1" = the whole value */
  labourShare: string;
  /** a floor in fen, where the province sets one */
  minimumFen?: bigint;
}

/** round_half_up(contract value × labour share × rate), at least the minimum. */
export function projectPremiumFen(contractValueFen: bigint, rule: ProjectPremiumRule): bigint {
  if (contractValueFen < 0n) throw new RangeError(`contract value is negative: ${contractValueFen}`);
  const share = parseDecimal(rule.labourShare);
  const rate = parseDecimal(rule.rate);
  for (const [name, r] of [['labour share', share], ['rate', rate]] as const) {
    if (compare(r, ratio(0n)) < 0 || compare(r, ratio(1n)) > 0) throw new RangeError(`${name} must be between 0 and 1`);
  }
  const premium = applyRatio(contractValueFen, mul(share, rate));
  return rule.minimumFen !== undefined && premium < rule.minimumFen ? rule.minimumFen : premium;
}

/**
 * - `insured`: enrolled and the premium paid in full — the permit may be issued
 * - `underpaid`: enrolled, but less than the premium paid
 * - `not_enrolled`: no project enrolment (项目参保登记) known
 */
export type ProjectInsuranceState = 'insured' | 'underpaid' | 'not_enrolled';

export function projectInsuranceState(p: { enrolledOn: string | null; premiumDueFen: bigint; premiumPaidFen: bigint }): ProjectInsuranceState {
  if (p.enrolledOn === null) return 'not_enrolled';
  return p.premiumPaidFen >= p.premiumDueFen ? 'insured' : 'underpaid';
}

import { benefitStandard, parseRatePolicy, type BenefitStandardInput, type BenefitStandards } from '../../../src/domain/transition';
import { samplePolicy } from './sample-policy';

const standards = samplePolicy().benefit_standards as BenefitStandards;
const input = (over: Partial<BenefitStandardInput>): BenefitStandardInput => ({
  kind: 'disability_allowance',
  legacyFen: 0n,
  disabilityGrade: null,
  nursingLevel: null,
  ...over,
});
const standardOf = (over: Partial<BenefitStandardInput>): bigint => {
  const r = benefitStandard(input(over), standards);
  if (!r.ok) throw new Error(JSON.stringify(r.reasons));
  return r.value.standardFen;
};

describe('benefitStandard under the sample policy (average wage 6,000.00 yuan)', () => {
  it.each([
    ['1', 300_000n],
    ['2', 240_000n],
    ['3', 180_000n],
  ] as const)('nursing care of level %s is its share of the average wage: %s fen', (level, fen) => {
    expect(standardOf({ kind: 'nursing_care', legacyFen: 1n, nursingLevel: level })).toBe(fen);
  });

  it('keeps a disability allowance whose implied wage lies within 60 %–300 % of the average wage', () => {
    // 0.80 × 700,000 = 560,000: the implied wage 700,000 is within 360,000 … 1,800,000
    expect(standardOf({ legacyFen: 560_000n, disabilityGrade: '3' })).toBe(560_000n);
  });

  it('lifts an allowance whose implied wage is below the floor, and lowers one above the ceiling', () => {
    // 240,000 ÷ 0.75 = 320,000 < 360,000 → 0.75 × 360,000
    const low = benefitStandard(input({ legacyFen: 240_000n, disabilityGrade: '4' }), standards);
    expect(low).toEqual({
      ok: true,
      warnings: [],
      value: { standardFen: 270_000n, basis: { averageWageFen: '600000', share: '0.75', disabilityGrade: '4', impliedWageFen: '320000.00', wageFen: '360000.00' } },
    });
    // 1,710,000 ÷ 0.90 = 1,900,000 > 1,800,000 → 0.90 × 1,800,000
    expect(standardOf({ legacyFen: 1_710_000n, disabilityGrade: '1' })).toBe(1_620_000n);
  });

  it('rounds a standard half up to the fen', () => {
    const odd = { ...standards, average_monthly_wage_fen: '600001' };
    const r = benefitStandard(input({ kind: 'nursing_care', legacyFen: 1n, nursingLevel: '3' }), odd);
    // 0.30 × 600,001 = 180,000.3 → 180,000
    expect(r.ok && r.value.standardFen).toBe(180_000n);
    const half = { ...standards, average_monthly_wage_fen: '600005' };
    // 0.30 × 600,005 = 180,001.5 → 180,002
    expect(benefitStandard(input({ kind: 'nursing_care', legacyFen: 1n, nursingLevel: '3' }), half)).toMatchObject({ ok: true, value: { standardFen: 180_002n } });
  });

  it('sets a dependants pension standard at its share of the average wage', () => {
    expect(standardOf({ kind: 'dependent_pension', legacyFen: 300_000n })).toBe(240_000n);
  });

  it('refuses what the records cannot support, with a reason', () => {
    expect(benefitStandard(input({ kind: 'nursing_care' }), standards)).toMatchObject({ ok: false, reasons: [{ code: 'benefit_standard.no_nursing_level' }] });
    expect(benefitStandard(input({ legacyFen: 1n }), standards)).toMatchObject({ ok: false, reasons: [{ code: 'benefit_standard.no_grade' }] });
    // grades 5–6 are paid by the employer, not the fund
    expect(benefitStandard(input({ legacyFen: 1n, disabilityGrade: '5' }), standards)).toMatchObject({ ok: false, reasons: [{ code: 'benefit_standard.grade_not_covered' }] });
  });
});

describe('benefit_standards in the rate policy', () => {
  const base = {
    version: '1',
    effective_from: '2025-01-01',
    base_rates: { 1: '0.002', 2: '0.004', 3: '0.007', 4: '0.009', 5: '0.011', 6: '0.013', 7: '0.016', 8: '0.019' },
    max_step: '0.002',
    max_income_swing: '0.10',
    benefit_steps: 3,
  };

  it('takes the Regulation shares by default', () => {
    const r = parseRatePolicy({ ...base, benefit_standards: { average_monthly_wage_fen: '500000' } });
    expect(r.ok && r.value.benefit_standards).toEqual({
      average_monthly_wage_fen: '500000',
      wage_floor: '0.6',
      wage_ceiling: '3.0',
      disability_allowance: { 1: '0.90', 2: '0.85', 3: '0.80', 4: '0.75' },
      nursing_care: { 1: '0.50', 2: '0.40', 3: '0.30' },
      dependent_pension: '0.40',
    });
    const without = parseRatePolicy(base);
    expect(without.ok && 'benefit_standards' in without.value).toBe(false);
  });

  it.each([
    [{ average_monthly_wage_fen: 500000 }, 'benefit_standards.average_monthly_wage_fen'],
    [{ average_monthly_wage_fen: '5000.00' }, 'benefit_standards.average_monthly_wage_fen'],
    [{ average_monthly_wage_fen: '500000', wage_floor: '3.5' }, 'benefit_standards.wage_floor'],
    [{ average_monthly_wage_fen: '500000', disability_allowance: { 1: '0' } }, 'benefit_standards.disability_allowance.1'],
    [{ average_monthly_wage_fen: '500000', nursing_care: { 1: '0.5' } }, 'benefit_standards.nursing_care.2'],
  ])('refuses %j at %s', (standardsInput, field) => {
    const r = parseRatePolicy({ ...base, benefit_standards: standardsInput });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reasons.map((x) => x.field)).toContain(field);
  });
});

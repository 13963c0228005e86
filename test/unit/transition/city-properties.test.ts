/**
 * Property tests of a whole city's transition over seeded random employers and benefits (the
 * seed is in the test name, so a failure replays).
 */
import { RISK_CLASSES } from '../../../mappings/province/enumerations';
import { applyRatio, compare, mul, parseDecimal, ratio, sub } from '../../../src/domain/decimal';
import {
  benefitStandard,
  finishCityTransition,
  planEmployer,
  type BenefitStandards,
  type EmployerPlan,
  type TransitionContext,
  type TransitionContribution,
} from '../../../src/domain/transition';
import { decimalText, prng, type Prng } from './prng';
import { samplePolicy } from './sample-policy';

const policy = samplePolicy();
const standards = policy.benefit_standards as BenefitStandards;
const ctx: TransitionContext = { policy, effective: '2025-01-01', switchOver: '2025-01-01' };
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

function randomCity(r: Prng): EmployerPlan<TransitionContribution>[] {
  return Array.from({ length: r.int(1, 30) }, (_, i) => {
    const months = r.int(0, 24);
    const rate = decimalText(r.int(1, 300), 4);
    const contributions = Array.from({ length: months }, (_, m) => {
      const index = 2025 * 12 - months + m;
      const payrollFen = r.big(0n, 50_000_000n);
      return { period: `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`, dueFen: applyRatio(payrollFen, parseDecimal(rate)), paidFen: null, payrollFen, rate };
    });
    const plan = planEmployer(
      {
        employerKey: `E${i}`,
        riskClass: r.pick(RISK_CLASSES),
        contributions,
        benefitsPaidFen: r.big(0n, 5_000_000n),
        injuryDeterminationDates: r.int(0, 3) === 0 ? ['2024-06-01'] : [],
        basePath: null,
      },
      ctx,
    );
    if (!plan.ok) throw new Error(JSON.stringify(plan.reasons));
    return plan.value;
  });
}

describe.each(SEEDS)('a random city (seed %i)', (seed) => {
  const plans = randomCity(prng(seed));
  const t = finishCityTransition('430100', plans, ctx);

  it('brings every employer to its target by the last year, never stepping more than max_step', () => {
    const maxStep = parseDecimal(policy.max_step);
    for (const { plan, path } of t.employers) {
      expect(path.steps).toHaveLength(t.years);
      expect(path.steps[path.steps.length - 1]!.rate).toBe(plan.target);
      for (const s of path.steps) {
        const size = sub(parseDecimal(s.rate), parseDecimal(s.fromRate));
        expect(compare(size.num < 0n ? ratio(-size.num, size.den) : size, maxStep)).toBeLessThanOrEqual(0);
      }
    }
  });

  it('projects each year as the sum over employers of payroll base × that year’s rate, rounded per employer', () => {
    t.impact.years.forEach((y, k) => {
      const expected = t.employers.reduce((s, { plan, path }) => s + applyRatio(plan.payroll.baseFen, parseDecimal(path.steps[k]!.rate)), 0n);
      expect(y.projectedFen).toBe(expected);
    });
    const legacy = plans.reduce((s, p) => s + (p.legacy ? applyRatio(p.payroll.baseFen, parseDecimal(p.legacy.rate)) : 0n), 0n);
    // an employer without a legacy rate is its own baseline: its year-0 rate
    const fresh = t.employers.filter((e) => e.plan.legacy === null).reduce((s, e) => s + applyRatio(e.plan.payroll.baseFen, parseDecimal(e.path.steps[0]!.rate)), 0n);
    expect(t.impact.years[0]!.legacyFen).toBe(legacy + fresh);
  });

  it('counts every employer once among up, down, stay and new', () => {
    const m = t.movements;
    expect(m.up.count + m.down.count + m.stay + m.new).toBe(plans.length);
  });
});

describe.each(SEEDS)('disability allowance standards (seed %i)', (seed) => {
  it('equal the legacy amount within the wage bounds and are the bounded share outside them', () => {
    const r = prng(seed);
    const wage = parseDecimal(standards.average_monthly_wage_fen);
    for (let i = 0; i < 200; i++) {
      const grade = r.pick(['1', '2', '3', '4'] as const);
      const share = parseDecimal(standards.disability_allowance[grade]!);
      const legacyFen = r.big(1n, 3_000_000n);
      const result = benefitStandard({ kind: 'disability_allowance', legacyFen, disabilityGrade: grade, nursingLevel: null }, standards);
      if (!result.ok) throw new Error('refused');
      const low = applyRatio(1n, mul(mul(wage, parseDecimal(standards.wage_floor)), share));
      const high = applyRatio(1n, mul(mul(wage, parseDecimal(standards.wage_ceiling)), share));
      const expected = legacyFen < low ? low : legacyFen > high ? high : legacyFen;
      expect(result.value.standardFen).toBe(expected);
    }
  });
});

import {
  benefitAmountOn,
  finishCityTransition,
  periodMonthsBefore,
  planBenefit,
  planEmployer,
  previousDay,
  ratePath,
  type EmployerPlan,
  type EmployerRecordInput,
  type TransitionContext,
  type TransitionContribution,
} from '../../../src/domain/transition';
import { samplePolicy } from './sample-policy';

const policy = samplePolicy();
const ctx: TransitionContext = { policy, effective: '2025-01-01', switchOver: '2025-01-01' };

interface Row extends TransitionContribution {
  id: number;
}
let nextId = 0;
const rows = (periods: readonly string[], over: Partial<TransitionContribution> = {}): Row[] =>
  periods.map((period) => ({ id: ++nextId, period, dueFen: 100_000n, paidFen: 100_000n, payrollFen: 10_000_000n, rate: '0.010', ...over }));
const months = (year: number, from = 1, to = 12): string[] => Array.from({ length: to - from + 1 }, (_, i) => `${year}-${String(from + i).padStart(2, '0')}`);

const employer = (over: Partial<EmployerRecordInput<Row>> = {}): EmployerRecordInput<Row> => ({
  employerKey: 'E',
  riskClass: '5',
  contributions: [...rows(months(2023)), ...rows(months(2024))],
  benefitsPaidFen: 0n,
  injuryDeterminationDates: [],
  basePath: null,
  ...over,
});

function plan(input: EmployerRecordInput<Row>, c: TransitionContext = ctx): EmployerPlan<Row> {
  const r = planEmployer(input, c);
  if (!r.ok) throw new Error(JSON.stringify(r.reasons));
  return r.value;
}

describe('planEmployer', () => {
  it('reads the legacy rate, payroll base and band from the record, and starts the path at the legacy rate', () => {
    // class 5 (0.011): paid 1,200,000 in 2024, benefits 1,500,000 → ratio 1.25, no new injury → band 1.0
    const p = plan(employer({ benefitsPaidFen: 1_500_000n }));
    expect(p.legacy).toMatchObject({ rate: '0.0100', period: '2024-12', source: 'stated' });
    expect(p.legacy!.rows.map((r) => r.period)).toEqual(['2024-12']);
    expect(p.band).toMatchObject({ band: '1.0', basis: 'floating_table', ratioText: '1.2500', column: 1 });
    expect(p.band.inputs).toMatchObject({ assessedYear: 2024, contributionMonths: 24, contributionsPaidFen: 1_200_000n });
    expect(p).toMatchObject({ target: '0.0110', startRate: '0.0100', startBasis: 'legacy', moves: 1 });
    expect(p.payroll).toMatchObject({ baseFen: 120_000_000n, periods: months(2024), missingPayrollRows: 0 });
  });

  it('counts paid contributions, or the amount due where a row has no paid amount', () => {
    const contributions = [...rows(months(2023)), ...rows(months(2024, 1, 6), { paidFen: 50_000n }), ...rows(months(2024, 7), { paidFen: null })];
    expect(plan(employer({ contributions })).band.inputs.contributionsPaidFen).toBe(900_000n);
  });

  it('derives a missing rate as due ÷ payroll, rounded half up to five places', () => {
    // 12,345 ÷ 1,000,000 = 0.012345 → 0.01235
    const p = plan(employer({ contributions: rows(months(2024), { rate: null, dueFen: 12_345n, payrollFen: 1_000_000n }) }));
    expect(p.legacy).toMatchObject({ rate: '0.01235', source: 'derived' });
  });

  it('refuses a legacy period whose rate cannot be known, but skips such rows in earlier periods', () => {
    const unknown = [...rows(months(2024, 1, 11)), ...rows(['2024-12'], { rate: null, payrollFen: null })];
    expect(planEmployer(employer({ contributions: unknown }), ctx)).toMatchObject({ ok: false, reasons: [{ code: 'legacy_rate.unknown' }] });
    const earlier = [...rows(['2024-01'], { rate: null, payrollFen: null }), ...rows(months(2024, 2, 12))];
    const p = plan(employer({ contributions: earlier }));
    expect(p.legacy!.rate).toBe('0.0100');
    // the row without payroll still counts as a period of the base, at 0
    expect(p.payroll).toMatchObject({ baseFen: 110_000_000n, missingPayrollRows: 1 });
  });

  it('refuses two rates in the legacy period and an employer without a risk class', () => {
    const twice = [...rows(months(2024)), ...rows(['2024-12'], { rate: '0.012' })];
    expect(planEmployer(employer({ contributions: twice }), ctx)).toMatchObject({ ok: false, reasons: [{ code: 'legacy_rate.ambiguous' }] });
    expect(planEmployer(employer({ riskClass: null }), ctx)).toMatchObject({ ok: false, reasons: [{ code: 'transition.no_risk_class' }] });
  });

  it('ignores contributions from the switch-over month on for the legacy rate and the payroll base', () => {
    const p = plan(employer({ contributions: [...rows(months(2024)), ...rows(['2025-01'], { rate: '0.020', payrollFen: 99n })] }));
    expect(p.legacy!.period).toBe('2024-12');
    expect(p.payroll.periods).not.toContain('2025-01');
  });

  it('starts an employer without contributions before the switch-over at its target', () => {
    const p = plan(employer({ contributions: [] }));
    expect(p).toMatchObject({ legacy: null, startRate: null, startBasis: 'target', moves: 0, target: '0.0110' });
    expect(p.band.basis).toBe('short_contribution_history');
  });

  it('continues an earlier path from the rate in force the day before the re-banding', () => {
    const basePath = ratePath('0.0190', '0.0095', '0.002', '2025-01-01');
    const rebanded: TransitionContext = { policy, effective: '2026-01-01', switchOver: '2025-01-01' };
    // 2025: paid 1,200,000, benefits 4,000,000 (> 3.0), new injury → class 8 band 1.5 = 0.0285
    const p = plan(
      employer({
        riskClass: '8',
        contributions: [...rows(months(2024)), ...rows(months(2025))],
        benefitsPaidFen: 4_000_000n,
        injuryDeterminationDates: ['2025-03-01'],
        basePath,
      }),
      rebanded,
    );
    expect(p).toMatchObject({ startRate: '0.0170', startBasis: 'rate_in_force', target: '0.0285', moves: 6 });
    // the legacy rate is still the one before the switch-over
    expect(p.legacy!.period).toBe('2024-12');
    expect(p.band.inputs.assessedYear).toBe(2025);
  });
});

describe('finishCityTransition', () => {
  const a = plan(employer({ employerKey: 'A', riskClass: '8', benefitsPaidFen: 10_000_000n, injuryDeterminationDates: ['2024-05-01'] }));
  const b = plan(employer({ employerKey: 'B', riskClass: '1' }));

  it('lays every path over the slowest employer’s years and projects the city income', () => {
    // A: 0.010 → 0.0285 in 10 steps; B: 0.010 → 0.0020 in 4 steps
    const t = finishCityTransition('430100', [a, b], ctx);
    expect(t.years).toBe(10);
    expect(t.employers.map((e) => e.path.steps.length)).toEqual([10, 10]);
    expect(t.employers[1]!.path.steps.map((s) => s.rate).slice(0, 5)).toEqual(['0.0080', '0.0060', '0.0040', '0.0020', '0.0020']);
    // year 0: A 120,000,000 × 0.012 + B 120,000,000 × 0.008 against 2 × 1,200,000
    expect(t.impact.years[0]).toMatchObject({ projectedFen: 2_400_000n, legacyFen: 2_400_000n, changeText: '0.0000' });
    expect(t.impact.years[1]).toMatchObject({ projectedFen: 2_400_000n });
    expect(t.movements).toMatchObject({ up: { count: 1, longestYears: 10 }, down: { count: 1, longestYears: 4 }, stay: 0, new: 0 });
  });

  it('takes a horizon of at least one year, or the one given', () => {
    // legacy 0.011 = target (band 1.0 at ratio 1.25): no move
    const still = plan(employer({ contributions: rows(months(2024), { rate: '0.011' }), benefitsPaidFen: 1_500_000n }));
    expect(finishCityTransition('430100', [still], ctx).years).toBe(1);
    expect(finishCityTransition('430100', [], ctx).years).toBe(1);
    expect(finishCityTransition('430100', [a], ctx, 3).employers[0]!.path.steps).toHaveLength(3);
  });

  it('counts a continued employer against its rate in force, not its legacy rate', () => {
    const rebanded: TransitionContext = { policy, effective: '2026-01-01', switchOver: '2025-01-01' };
    // legacy 0.010, in force 0.0110 (its old target), new target 0.0110: it stays
    const p = plan(employer({ basePath: ratePath('0.010', '0.0110', '0.002', '2025-01-01'), contributions: [...rows(months(2024)), ...rows(months(2025))], benefitsPaidFen: 1_500_000n }), rebanded);
    expect(finishCityTransition('430100', [p], rebanded).movements).toMatchObject({ up: { count: 0 }, stay: 1 });
  });
});

describe('planBenefit', () => {
  const benefit = { benefitKey: '430100|C1|nursing_care', kind: 'nursing_care' as const, paidFen: 100_000n, disabilityGrade: '2' as const, nursingLevel: '3' as const, baseSchedule: null };

  it('schedules the paid amount to the standard from the run’s date', () => {
    const r = planBenefit(benefit, ctx);
    expect(r.ok && r.value).toMatchObject({ legacyFen: 100_000n, legacyBasis: 'paid', standard: { standardFen: 180_000n } });
    expect(r.ok && r.value.schedule.records.map((x) => [x.effective, x.amountFen])).toEqual([
      ['2025-01-01', 126_667n],
      ['2026-01-01', 153_334n],
      ['2027-01-01', 180_000n],
    ]);
  });

  it('continues from the amount in force under an earlier schedule', () => {
    const first = planBenefit(benefit, ctx);
    const schedule = first.ok ? first.value.schedule.records : [];
    const r = planBenefit({ ...benefit, baseSchedule: schedule }, { policy, effective: '2026-07-01', switchOver: '2025-01-01' });
    // in force on 2026-06-30: the second step
    expect(r.ok && r.value).toMatchObject({ legacyFen: 153_334n, legacyBasis: 'schedule' });
  });

  it('needs the policy’s benefit standards', () => {
    const { benefit_standards: _omitted, ...withoutStandards } = policy;
    expect(planBenefit(benefit, { ...ctx, policy: withoutStandards })).toMatchObject({ ok: false, reasons: [{ code: 'benefit_standard.no_policy' }] });
  });
});

describe('benefitAmountOn', () => {
  const schedule = [
    { effective: '2025-01-01', previousFen: 100n, amountFen: 110n },
    { effective: '2026-01-01', previousFen: 110n, amountFen: 120n },
  ];
  it.each([
    ['2024-12-31', 100n],
    ['2025-01-01', 110n],
    ['2025-12-31', 110n],
    ['2026-01-01', 120n],
    ['2030-01-01', 120n],
  ])('on %s is %s', (date, fen) => {
    expect(benefitAmountOn(schedule, date)).toBe(fen);
  });
  it('is null for an empty schedule', () => {
    expect(benefitAmountOn([], '2025-01-01')).toBeNull();
  });
});

describe('dates', () => {
  it.each([
    ['2026-01-01', '2025-12-31'],
    ['2024-03-01', '2024-02-29'],
    ['2023-03-01', '2023-02-28'],
    ['2025-07-15', '2025-07-14'],
  ])('the day before %s is %s', (date, before) => {
    expect(previousDay(date)).toBe(before);
  });
  it.each([
    ['2025-01', 1, '2024-12'],
    ['2025-01', 3, '2024-10'],
    ['2025-03', 2, '2025-01'],
    ['2025-01', 24, '2023-01'],
    ['2025-01', 0, '2025-01'],
  ])('%s less %i months is %s', (period, n, expected) => {
    expect(periodMonthsBefore(period, n)).toBe(expected);
  });
});

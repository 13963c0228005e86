import { benefitTransition, MONTHLY_BENEFIT_KINDS, type MonthlyBenefit } from '../../../src/domain/transition';

const benefit = (legacyFen: bigint, standardFen: bigint, over: Partial<MonthlyBenefit> = {}): MonthlyBenefit => ({
  benefitKey: '430100:GS2019-001:disability_allowance',
  kind: 'disability_allowance',
  legacyFen,
  standardFen,
  ...over,
});

const amounts = (legacyFen: bigint, standardFen: bigint, steps = 3): bigint[] =>
  benefitTransition(benefit(legacyFen, standardFen), steps, '2025-01-01').records.map((r) => r.amountFen);

describe('benefitTransition', () => {
  it('raises a benefit below the standard over three equal yearly steps, landing exactly on it', () => {
    // 2,000.00 → 2,600.00 yuan a month: step round_half_up(60,000 ÷ 3) = 20,000 fen.
    const s = benefitTransition(benefit(200_000n, 260_000n), 3, '2025-01-01');
    expect(s.treatment).toBe('raise');
    expect(s.records.map((r) => [r.step, r.effective, r.previousFen, r.amountFen, r.raiseFen])).toEqual([
      [1, '2025-01-01', 200_000n, 220_000n, 20_000n],
      [2, '2026-01-01', 220_000n, 240_000n, 20_000n],
      [3, '2027-01-01', 240_000n, 260_000n, 20_000n],
    ]);
    expect(s.records[2]!.inputs).toEqual({ legacyFen: 200_000n, standardFen: 260_000n, steps: 3, stepFen: 20_000n });
  });

  it('rounds the step half up and lets the last step absorb the difference', () => {
    // 100 ÷ 3 = 33.3 → 33: +33, +33, +34.  200 ÷ 3 = 66.7 → 67: +67, +67, +66.
    expect(amounts(100_000n, 100_100n)).toEqual([100_033n, 100_066n, 100_100n]);
    expect(amounts(100_000n, 100_200n)).toEqual([100_067n, 100_134n, 100_200n]);
    // 1 ÷ 3 → 0: nothing until the last step.
    expect(amounts(5_000n, 5_001n)).toEqual([5_000n, 5_000n, 5_001n]);
  });

  it('keeps a benefit above the standard unchanged (保留), never reducing it', () => {
    const s = benefitTransition(benefit(300_000n, 260_000n), 3, '2025-01-01');
    expect(s.treatment).toBe('keep');
    expect(s.records).toEqual([
      {
        benefitKey: '430100:GS2019-001:disability_allowance',
        kind: 'disability_allowance',
        step: 0,
        effective: '2025-01-01',
        previousFen: 300_000n,
        amountFen: 300_000n,
        raiseFen: 0n,
        inputs: { legacyFen: 300_000n, standardFen: 260_000n, steps: 3, stepFen: 0n },
      },
    ]);
  });

  it('records a benefit already at the standard once, unchanged', () => {
    const s = benefitTransition(benefit(260_000n, 260_000n), 3, '2025-01-01');
    expect(s.treatment).toBe('at_standard');
    expect(s.records.map((r) => r.amountFen)).toEqual([260_000n]);
  });

  it('stops at the standard when the rounded step would pass it early', () => {
    // 12 fen in 8 steps: 1.5 → 2 a step would reach 14 at step 7; it stops at 12 from step 6.
    expect(amounts(0n, 12n, 8)).toEqual([2n, 4n, 6n, 8n, 10n, 12n, 12n, 12n]);
  });

  it.each(MONTHLY_BENEFIT_KINDS)('treats %s the same way', (kind) => {
    const s = benefitTransition(benefit(90_000n, 120_000n, { kind }), 3, '2025-07-01');
    expect(s.records.map((r) => [r.kind, r.effective, r.amountFen])).toEqual([
      [kind, '2025-07-01', 100_000n],
      [kind, '2026-07-01', 110_000n],
      [kind, '2027-07-01', 120_000n],
    ]);
  });

  it('throws on negative amounts or a bad number of steps', () => {
    expect(() => benefitTransition(benefit(-1n, 5n), 3, '2025-01-01')).toThrow(RangeError);
    expect(() => benefitTransition(benefit(1n, 5n), 0, '2025-01-01')).toThrow(RangeError);
    expect(() => benefitTransition(benefit(1n, 5n), 3, '2025-13-01')).toThrow(RangeError);
  });
});

import { legacyRateOf, payrollBase, type ContributionRow } from '../../../src/domain/transition';

interface Row extends ContributionRow {
  readonly id: number;
}

const row = (id: number, period: string, payrollFen: bigint, rate = '0.0100'): Row => ({ id, period, payrollFen, rate });

describe('legacyRateOf', () => {
  it('takes the rate of the latest period before the switch-over month, with the rows that set it', () => {
    const rows = [row(1, '2024-11', 100n, '0.0090'), row(2, '2024-12', 100n, '0.012'), row(3, '2025-01', 100n, '0.0200')];
    const r = legacyRateOf(rows, '2025-01-01');
    expect(r.ok && r.value).toEqual({ rate: '0.0120', period: '2024-12', rows: [rows[1]] });
  });

  it('treats the switch-over month as already provincial, even on a mid-month switch-over', () => {
    const rows = [row(1, '2025-06', 100n, '0.0090'), row(2, '2025-07', 100n, '0.0200')];
    const r = legacyRateOf(rows, '2025-07-15');
    expect(r.ok && r.value?.rate).toBe('0.0090');
  });

  it('is null for an employer with no period before the switch-over', () => {
    expect(legacyRateOf([row(1, '2025-01', 100n)], '2025-01-01')).toEqual({ ok: true, value: null, warnings: [] });
  });

  it('accepts several rows of one period at the same rate, however written', () => {
    const r = legacyRateOf([row(1, '2024-12', 100n, '0.01'), row(2, '2024-12', 50n, '0.0100')], '2025-01-01');
    expect(r.ok && r.value?.rows.map((x) => x.id)).toEqual([1, 2]);
  });

  it('refuses rows of the latest period that disagree on the rate', () => {
    const r = legacyRateOf([row(1, '2024-12', 100n, '0.01'), row(2, '2024-12', 50n, '0.02')], '2025-01-01');
    expect(r).toEqual({
      ok: false,
      reasons: [{ code: 'legacy_rate.ambiguous', field: 'rate', detail: 'period 2024-12 has rates 0.0100, 0.0200' }],
    });
  });
});

describe('payrollBase', () => {
  it('sums the last 12 contribution periods before the switch-over, skipping gaps, all rows of a period', () => {
    // 2023-01 … 2024-12 with 2024-03 and 2024-04 missing: the last 12 periods start at 2023-11.
    const periods = ['2023', '2024']
      .flatMap((y) => Array.from({ length: 12 }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`))
      .filter((p) => p !== '2024-03' && p !== '2024-04');
    const rows = periods.map((p, i) => row(i, p, 1_000n));
    rows.push(row(100, '2024-12', 7n), row(101, '2025-01', 999_999n));
    const base = payrollBase(rows, '2025-01-01');
    expect(base.periods).toEqual([
      '2023-11', '2023-12', '2024-01', '2024-02', '2024-05', '2024-06',
      '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12',
    ]);
    expect(base.baseFen).toBe(12_007n);
    expect(base.rows.map((r) => r.id)).toContain(100);
    expect(base.rows.map((r) => r.id)).not.toContain(101);
  });

  it('uses what there is for a young employer, and zero for none', () => {
    expect(payrollBase([row(1, '2024-11', 5n), row(2, '2024-12', 6n)], '2025-01-01')).toMatchObject({ baseFen: 11n });
    expect(payrollBase([], '2025-01-01')).toEqual({ baseFen: 0n, periods: [], rows: [] });
  });

  it('throws on a period that was not normalized', () => {
    expect(() => payrollBase([row(1, '202412', 5n)], '2025-01-01')).toThrow(RangeError);
  });
});

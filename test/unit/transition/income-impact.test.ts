import {
  projectCityIncome,
  ratePath,
  type CityProjectionInput,
  type EmployerProjectionInput,
} from '../../../src/domain/transition';

const SWITCH_OVER = '2025-01-01';
const employer = (employerKey: string, payrollBaseFen: bigint, legacyRate: string | null, target: string): EmployerProjectionInput => ({
  employerKey,
  payrollBaseFen,
  legacyRate,
  path: ratePath(legacyRate, target, '0.002', SWITCH_OVER),
});

// Hand-computed (fen):                        legacy   y0       y1       y2       y3       y4
// A 10,000,000 × 0.0100 → 0.0160 (up, 3 y)    100,000  120,000  140,000  160,000  160,000  160,000
// B 20,000,000 × 0.0190 → 0.0095 (down, 5 y)  380,000  340,000  300,000  260,000  220,000  190,000
// C  3,333,333 × 0.0070 (stays)               23,333 (23,333.331)
// D          0, no legacy rate → 0.0088        0
// E  1,234,567 × 0.0050 → 0.0060 (up, 1 y)     6,173 (6,172.835)  then 7,407 (7,407.402)
// city                                         509,506  490,740  470,740  450,740  410,740  380,740
// change vs the year before                             −3.68 %  −4.08 %  −4.25 %  −8.87 %  −7.30 %
const city: CityProjectionInput = {
  cityCode: '430100',
  switchOver: SWITCH_OVER,
  years: 5,
  maxIncomeSwing: '0.04',
  employers: [
    employer('A', 10_000_000n, '0.0100', '0.0160'),
    employer('B', 20_000_000n, '0.0190', '0.0095'),
    employer('C', 3_333_333n, '0.0070', '0.0070'),
    employer('D', 0n, null, '0.0088'),
    employer('E', 1_234_567n, '0.0050', '0.0060'),
  ],
};

describe('projectCityIncome', () => {
  const impact = projectCityIncome(city);

  it('projects each year under the paths, rounded half up per employer, against the legacy income', () => {
    expect(impact.years.map((y) => [y.from, y.projectedFen, y.legacyFen, y.previousFen])).toEqual([
      ['2025-01-01', 490_740n, 509_506n, 509_506n],
      ['2026-01-01', 470_740n, 509_506n, 490_740n],
      ['2027-01-01', 450_740n, 509_506n, 470_740n],
      ['2028-01-01', 410_740n, 509_506n, 450_740n],
      ['2029-01-01', 380_740n, 509_506n, 410_740n],
    ]);
    expect(impact.years[0]!.employers.map((e) => [e.employerKey, e.rate, e.projectedFen, e.legacyFen])).toEqual([
      ['A', '0.0120', 120_000n, 100_000n],
      ['B', '0.0170', 340_000n, 380_000n],
      ['C', '0.0070', 23_333n, 23_333n],
      ['D', '0.0088', 0n, 0n],
      ['E', '0.0060', 7_407n, 6_173n],
    ]);
  });

  it('flags the years whose swing against the year before exceeds max_income_swing', () => {
    expect(impact.years.map((y) => y.changeText)).toEqual(['-0.0368', '-0.0408', '-0.0425', '-0.0887', '-0.0730']);
    expect(impact.years[1]!.change).toEqual({ num: -1000n, den: 24537n });
    expect(impact.flaggedYears).toEqual([1, 2, 3, 4]);
    expect(projectCityIncome({ ...city, maxIncomeSwing: '0.10' }).flaggedYears).toEqual([]);
  });

  it('counts how the employers move, by how much and over how many years', () => {
    expect(impact.movements).toEqual({
      up: { count: 2, smallestChange: '0.0010', largestChange: '0.0060', longestYears: 3, byYears: { 1: 1, 3: 1 } },
      down: { count: 1, smallestChange: '-0.0095', largestChange: '-0.0095', longestYears: 5, byYears: { 5: 1 } },
      stay: 1,
      new: 1,
    });
  });

  it('does not flag a swing of exactly max_income_swing, only one beyond it', () => {
    const one = (target: string): CityProjectionInput => ({
      ...city,
      years: 1,
      maxIncomeSwing: '0.10',
      employers: [employer('X', 100_000_000n, '0.0100', target)],
    });
    // 1,000,000 → 1,100,000 is +10 % exactly; → 1,100,100 is just beyond.
    expect(projectCityIncome(one('0.0110')).years[0]).toMatchObject({ projectedFen: 1_100_000n, changeText: '0.1000', flagged: false });
    expect(projectCityIncome(one('0.011001')).years[0]).toMatchObject({ projectedFen: 1_100_100n, flagged: true });
  });

  it('counts nothing for an employer whose path starts after the year began', () => {
    const late: EmployerProjectionInput = {
      employerKey: 'L',
      payrollBaseFen: 1_000_000n,
      legacyRate: null,
      path: ratePath(null, '0.0050', '0.002', '2026-03-01'),
    };
    const years = projectCityIncome({ ...city, years: 2, employers: [late] }).years;
    expect(years.map((y) => [y.employers[0]!.rate, y.projectedFen, y.legacyFen])).toEqual([
      [null, 0n, 0n],
      [null, 0n, 0n],
    ]);
    expect(projectCityIncome({ ...city, years: 3, employers: [late] }).years[2]!.employers[0]!.rate).toBe('0.0050');
  });

  it('rounds per employer, not on the city total', () => {
    // Each 100 fen × 0.0050 = 0.5 fen → 1 fen; the total rounded once would be 1 fen.
    const halves = { ...city, years: 1, employers: [employer('P', 100n, '0.0050', '0.0050'), employer('Q', 100n, '0.0050', '0.0050')] };
    expect(projectCityIncome(halves).years[0]!.projectedFen).toBe(2n);
  });

  it('from a zero year: staying at zero is no swing, any income is flagged', () => {
    const zero = { ...city, years: 2, employers: [employer('Z', 1_000_000n, '0.0000', '0.0030')] };
    const years = projectCityIncome(zero).years;
    expect(years.map((y) => [y.previousFen, y.projectedFen, y.change, y.changeText, y.flagged])).toEqual([
      [0n, 2_000n, null, 'from zero', true],
      [2_000n, 3_000n, { num: 1n, den: 2n }, '0.5000', true],
    ]);
    const empty = projectCityIncome({ ...city, years: 1, employers: [] });
    expect(empty.years[0]).toMatchObject({ projectedFen: 0n, flagged: false, changeText: '0.0000' });
  });
});

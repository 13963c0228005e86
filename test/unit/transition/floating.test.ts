import type { RiskClass } from '../../../mappings/province/enumerations';
import { chooseBand, parseRatePolicy, type FloatingRecord } from '../../../src/domain/transition';
import { samplePolicy } from './sample-policy';

const policy = samplePolicy();

/** Every month of 2023 and 2024: two full years of contributions. */
const twoYears = ['2023', '2024'].flatMap((y) =>
  Array.from({ length: 12 }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`),
);

const record = (over: Partial<FloatingRecord> = {}): FloatingRecord => ({
  riskClass: '5',
  assessedYear: 2024,
  contributionPeriods: twoYears,
  contributionsPaidFen: 1_000_000n,
  benefitsPaidFen: 0n,
  injuryDeterminationDates: [],
  ...over,
});

describe('chooseBand: the floating-rule table, cell by cell', () => {
  // Contributions 1,000,000 fen, so the benefits fix the ratio: 1,200,000 is exactly 1.2.
  it.each([
    ['no new injury', 'ratio 0', 0n, [], '0.8', 0],
    ['no new injury', 'ratio = 1.2', 1_200_000n, [], '0.8', 0],
    ['no new injury', 'ratio just above 1.2', 1_200_001n, [], '1.0', 1],
    ['no new injury', 'ratio = 3.0', 3_000_000n, [], '1.0', 1],
    ['no new injury', 'ratio just above 3.0', 3_000_001n, [], '1.0', 2],
    ['new injury', 'ratio 0', 0n, ['2024-03-15'], '1.0', 0],
    ['new injury', 'ratio = 1.2', 1_200_000n, ['2024-03-15'], '1.0', 0],
    ['new injury', 'ratio just above 1.2', 1_200_001n, ['2024-03-15'], '1.2', 1],
    ['new injury', 'ratio = 3.0', 3_000_000n, ['2024-12-31'], '1.2', 1],
    ['new injury', 'ratio just above 3.0', 3_000_001n, ['2024-01-01'], '1.5', 2],
  ] as const)('%s, %s → band %s', (_row, _cell, benefitsPaidFen, dates, band, column) => {
    const choice = chooseBand(record({ benefitsPaidFen, injuryDeterminationDates: dates }), policy);
    expect(choice).toMatchObject({ band, column, basis: 'floating_table', hadNewInjury: dates.length > 0 });
  });

  it('keeps the exact ratio and its four-place text', () => {
    const choice = chooseBand(record({ benefitsPaidFen: 1_200_001n }), policy);
    expect(choice.ratio).toEqual({ num: 1_200_001n, den: 1_000_000n });
    expect(choice.ratioText).toBe('1.2000');
  });

  it('counts only injuries determined in the assessed year', () => {
    const dates = ['2023-12-31', '2025-01-01'];
    expect(chooseBand(record({ benefitsPaidFen: 3_000_001n, injuryDeterminationDates: dates }), policy)).toMatchObject({
      band: '1.0',
      hadNewInjury: false,
      inputs: { newInjuries: 0 },
    });
  });

  it('records the inputs it used', () => {
    const choice = chooseBand(record({ benefitsPaidFen: 500n, injuryDeterminationDates: ['2024-05-05', '2024-06-06'] }), policy);
    expect(choice.inputs).toEqual({
      policyVersion: '2025.1',
      riskClass: '5',
      assessedYear: 2024,
      contributionMonths: 24,
      contributionsPaidFen: 1_000_000n,
      benefitsPaidFen: 500n,
      newInjuries: 2,
    });
  });
});

describe('chooseBand: outside the table', () => {
  it.each(['1', '2'] as RiskClass[])('class %s does not float, whatever its record', (riskClass) => {
    const choice = chooseBand(
      record({ riskClass, benefitsPaidFen: 9_000_000n, injuryDeterminationDates: ['2024-02-02'] }),
      policy,
    );
    expect(choice).toMatchObject({ band: '1.0', basis: 'non_floating_class', ratio: null, column: null });
  });

  it('class 3 floats with the same record', () => {
    const choice = chooseBand(
      record({ riskClass: '3', benefitsPaidFen: 9_000_000n, injuryDeterminationDates: ['2024-02-02'] }),
      policy,
    );
    expect(choice.band).toBe('1.5');
  });

  it('a new employer (11 months) keeps band 1.0; at 12 months it floats', () => {
    const months = twoYears.slice(13); // 2024-02 … 2024-12
    const bad = { benefitsPaidFen: 9_000_000n, injuryDeterminationDates: ['2024-06-01'] };
    expect(chooseBand(record({ ...bad, contributionPeriods: months }), policy)).toMatchObject({
      band: '1.0',
      basis: 'short_contribution_history',
      inputs: { contributionMonths: 11 },
    });
    expect(chooseBand(record({ ...bad, contributionPeriods: twoYears.slice(12) }), policy)).toMatchObject({
      band: '1.5',
      basis: 'floating_table',
    });
  });

  it('counts a period once however many rows it has, and ignores periods after the assessed year', () => {
    const periods = [...twoYears.slice(13), '2024-12', '2024-12', '2025-01', '2025-02'];
    expect(chooseBand(record({ contributionPeriods: periods }), policy).inputs.contributionMonths).toBe(11);
  });
});

describe('chooseBand: contributions of zero', () => {
  it('no contributions and no benefits → the lowest column', () => {
    const choice = chooseBand(record({ contributionsPaidFen: 0n, benefitsPaidFen: 0n }), policy);
    expect(choice).toMatchObject({ band: '0.8', column: 0, ratio: null, ratioText: 'no contributions, no benefits' });
  });

  it('no contributions but benefits paid → above every threshold', () => {
    const choice = chooseBand(
      record({ contributionsPaidFen: 0n, benefitsPaidFen: 1n, injuryDeterminationDates: ['2024-07-07'] }),
      policy,
    );
    expect(choice).toMatchObject({ band: '1.5', column: 2, ratio: null, ratioText: 'no contributions, benefits paid' });
  });
});

describe('chooseBand: a province-specific rule', () => {
  it('uses the thresholds and rows of the policy, not the defaults', () => {
    const parsed = parseRatePolicy({
      ...policy,
      floating_rule: {
        ratio_thresholds: ['0.5', '2.0'],
        no_new_injury: ['0.5', '0.8', '1.0'],
        new_injury: ['1.0', '1.2', '1.5'],
      },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.reasons));
    expect(chooseBand(record({ benefitsPaidFen: 500_000n }), parsed.value).band).toBe('0.5');
    expect(chooseBand(record({ benefitsPaidFen: 500_001n }), parsed.value).band).toBe('0.8');
    expect(chooseBand(record({ benefitsPaidFen: 2_000_001n }), parsed.value).band).toBe('1.0');
  });
});

describe('chooseBand: bad input is a bug upstream', () => {
  it('throws on a malformed period or date, or negative money', () => {
    expect(() => chooseBand(record({ contributionPeriods: ['202401'] }), policy)).toThrow(RangeError);
    expect(() => chooseBand(record({ injuryDeterminationDates: ['2024/01/01'] }), policy)).toThrow(RangeError);
    expect(() => chooseBand(record({ benefitsPaidFen: -1n }), policy)).toThrow(RangeError);
  });
});

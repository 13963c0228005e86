import { runAdjustmentYears, type AdjustmentInput, type CityYearFlow } from '../../../src/domain/funds';
import { adjustmentSample, position, valueOf } from './support';

const flow = (cityCode: string, year: number, income: bigint, expenditure: bigint, other = 0n): CityYearFlow => ({
  cityCode,
  year,
  contributionIncomeFen: income,
  otherIncomeFen: other,
  expenditureFen: expenditure,
});

/** fund-rules.md, worked example, adjustment model: the inputs. */
function workedExample(): AdjustmentInput {
  return {
    policy: adjustmentSample(),
    positions: [
      // the reserve and city adjustment fund are "of which" parts inside these sums
      position('430100', { 'upto-2010': 4_000_000n, '2011-2020': 6_000_000n }, 1_500_000n, 500_000n),
      position('430200', { 'upto-2010': 1_000_000n, '2011-2020': 2_000_000n }, 400_000n, 0n),
      position('430300', { 'upto-2020': 1_000_000n }, 0n, 200_000n),
    ],
    flows: [
      flow('430100', 2021, 50_000_000n, 40_000_000n),
      flow('430200', 2021, 20_000_000n, 25_000_000n),
      flow('430300', 2021, 10_000_000n, 16_000_000n),
      flow('430100', 2022, 52_000_000n, 45_000_000n),
      flow('430200', 2022, 18_000_000n, 30_000_000n),
      flow('430300', 2022, 9_000_000n, 20_000_000n),
    ],
  };
}

/** The table of the worked example, column by column ('—' in the rules file is 0 here). */
const WORKED_TABLE = [
  // year, city, income, expenditure, remittance, balance, own surplus, adjustment fund, province, city
  [2021, '430100', 50_000_000n, 40_000_000n, 7_500_000n, 2_500_000n, 0n, 0n, 0n, 0n],
  [2021, '430200', 20_000_000n, 25_000_000n, 2_400_000n, -7_400_000n, 3_000_000n, 4_400_000n, 0n, 0n],
  [2021, '430300', 10_000_000n, 16_000_000n, 1_500_000n, -7_500_000n, 1_000_000n, 6_500_000n, 0n, 0n],
  [2022, '430100', 52_000_000n, 45_000_000n, 7_800_000n, -800_000n, 800_000n, 0n, 0n, 0n],
  [2022, '430200', 18_000_000n, 30_000_000n, 2_160_000n, -14_160_000n, 0n, 6_308_171n, 3_925_915n, 3_925_914n],
  [2022, '430300', 9_000_000n, 20_000_000n, 1_350_000n, -12_350_000n, 0n, 5_501_829n, 3_424_086n, 3_424_085n],
] as const;

describe('runAdjustmentYears — the worked example', () => {
  const run = valueOf(runAdjustmentYears(workedExample()));

  it('reproduces every row of the table', () => {
    expect(
      run.rows.map((r) => [
        r.year, r.cityCode, r.contributionIncomeFen, r.expenditureFen, r.remittanceFen, r.balanceFen,
        r.fromOwnSurplusFen, r.fromAdjustmentFundFen, r.sharedGapProvinceFen, r.sharedGapCityFen,
      ]),
    ).toEqual(WORKED_TABLE);
  });

  it('applies 430200 its own ratio and the others the province-wide one', () => {
    expect(run.rows.filter((r) => r.year === 2021).map((r) => [r.cityCode, r.ratio, r.ratioSource])).toEqual([
      ['430100', '0.15', 'province'],
      ['430200', '0.12', 'city'],
      ['430300', '0.15', 'province'],
    ]);
  });

  it('credits all remittances before covering gaps: 11,400,000 in 2021 with 500,000 left; 11,810,000 in 2022, shared pro rata', () => {
    expect(run.fund).toEqual([
      { year: 2021, openingFen: 0n, remittancesFen: 11_400_000n, availableFen: 11_400_000n, claimsFen: 10_900_000n, disbursedFen: 10_900_000n, proRata: false, closingFen: 500_000n },
      { year: 2022, openingFen: 500_000n, remittancesFen: 11_310_000n, availableFen: 11_810_000n, claimsFen: 26_510_000n, disbursedFen: 11_810_000n, proRata: true, closingFen: 0n },
    ]);
  });

  it('gives the one leftover fen of 2022 to the larger remainder (430200: .50… beats .49…)', () => {
    const r2022 = run.rows.filter((r) => r.year === 2022 && r.openGapFen > 0n);
    expect(r2022.map((r) => [r.cityCode, r.openGapFen, r.fromAdjustmentFundFen])).toEqual([
      ['430200', 14_160_000n, 6_308_171n],
      ['430300', 12_350_000n, 5_501_829n],
    ]);
  });

  it('splits what stays open half and half, the province part rounded half up', () => {
    const shared = run.rows.filter((r) => r.sharedGapFen > 0n);
    expect(shared.map((r) => [r.cityCode, r.sharedGapFen, r.gapShareProvince, r.sharedGapProvinceFen, r.sharedGapCityFen])).toEqual([
      ['430200', 7_851_829n, '0.5', 3_925_915n, 3_925_914n],
      ['430300', 6_848_171n, '0.5', 3_424_086n, 3_424_085n],
    ]);
  });

  it('walks the local surplus: 430100 ends 2022 at 11,700,000; the others are used up', () => {
    expect(run.rows.map((r) => [r.year, r.cityCode, r.surplusOpeningFen, r.addedToSurplusFen, r.surplusClosingFen])).toEqual([
      [2021, '430100', 10_000_000n, 2_500_000n, 12_500_000n],
      [2021, '430200', 3_000_000n, 0n, 0n],
      [2021, '430300', 1_000_000n, 0n, 0n],
      [2022, '430100', 12_500_000n, 0n, 11_700_000n],
      [2022, '430200', 0n, 0n, 0n],
      [2022, '430300', 0n, 0n, 0n],
    ]);
  });

  it('merges reserve and city adjustment fund without counting them twice', () => {
    expect(run.openings.map((o) => [o.cityCode, o.openingSurplusFen, o.mergedReserveFen, o.mergedCityAdjustmentFundFen])).toEqual([
      ['430100', 10_000_000n, 1_500_000n, 500_000n],
      ['430200', 3_000_000n, 400_000n, 0n],
      ['430300', 1_000_000n, 0n, 200_000n],
    ]);
  });

  it('keeps the policy version and inputs on every row', () => {
    expect(run).toMatchObject({ policyVersion: '2021.1', switchOver: '2021-01-01', openingFundFen: 0n });
    expect(run.rows.every((r) => r.policyVersion === '2021.1' && r.otherIncomeFen === 0n)).toBe(true);
  });

  it('gives identical output on a re-run and whatever order the inputs come in', () => {
    const input = workedExample();
    const reordered = { ...input, positions: [...input.positions].reverse(), flows: [...input.flows].reverse() };
    expect(runAdjustmentYears(workedExample())).toEqual(runAdjustmentYears(workedExample()));
    expect(runAdjustmentYears(reordered)).toEqual(runAdjustmentYears(input));
  });
});

describe('runAdjustmentYears — other cases', () => {
  const base = (): AdjustmentInput => ({ ...workedExample(), flows: [] });

  it('counts other income in the balance but not in the remittance base', () => {
    const run = valueOf(runAdjustmentYears({ ...base(), flows: [
      flow('430100', 2021, 1_000_000n, 1_000_000n, 300_000n),
      flow('430200', 2021, 0n, 0n),
      flow('430300', 2021, 0n, 0n),
    ] }));
    expect(run.rows[0]).toMatchObject({ remittanceFen: 150_000n, balanceFen: 150_000n, surplusClosingFen: 10_150_000n });
  });

  it('starts the fund from the opening balance and carries it over years with no gaps', () => {
    const policy = { ...adjustmentSample(), opening_balance_fen: 1_000n };
    const flows = [2021, 2022].flatMap((y) => ['430100', '430200', '430300'].map((c) => flow(c, y, 100n, 0n)));
    const run = valueOf(runAdjustmentYears({ ...base(), policy, flows }));
    expect(run.fund.map((f) => [f.year, f.openingFen, f.remittancesFen, f.closingFen])).toEqual([
      [2021, 1_000n, 42n, 1_042n],
      [2022, 1_042n, 42n, 1_084n],
    ]);
  });

  it('rounds the province part of a 1-fen shared gap half up', () => {
    const policy = { ...adjustmentSample(), ratio: '0', city_ratios: {} };
    const run = valueOf(runAdjustmentYears({
      ...base(),
      policy,
      positions: [position('430100', { all: 0n })],
      flows: [flow('430100', 2021, 0n, 1n)],
    }));
    expect(run.rows[0]).toMatchObject({ gapFen: 1n, fromOwnSurplusFen: 0n, fromAdjustmentFundFen: 0n, sharedGapProvinceFen: 1n, sharedGapCityFen: 0n });
  });

  it('returns no rows when there are no flows', () => {
    expect(valueOf(runAdjustmentYears(base()))).toMatchObject({ rows: [], fund: [] });
  });

  const refusals: [string, Partial<AdjustmentInput>, string[]][] = [
    ['a missing city-year', { flows: [flow('430100', 2021, 1n, 0n), flow('430200', 2021, 1n, 0n)] }, ['fund.flow.missing']],
    ['a year nobody reported', {
      flows: ['430100', '430200', '430300'].flatMap((c) => [flow(c, 2021, 1n, 0n), flow(c, 2023, 1n, 0n)]),
    }, ['fund.flow.missing', 'fund.flow.missing', 'fund.flow.missing']],
    ['a duplicate flow', { flows: [flow('430100', 2021, 1n, 0n), flow('430100', 2021, 1n, 0n)] }, ['fund.flow.duplicate']],
    ['a flow before the switch-over', { flows: [flow('430100', 2020, 1n, 0n)] }, ['fund.flow.before_switch_over']],
    ['a flow for an unknown city', { flows: [flow('439900', 2021, 1n, 0n)] }, ['fund.flow.unknown_city']],
    ['a negative amount', { flows: [flow('430100', 2021, 1n, -1n)] }, ['fund.flow.negative_amount']],
    ['a non-integer year', { flows: [flow('430100', 2021.5, 1n, 0n)] }, ['fund.flow.bad_year']],
    ['a city in debt at the switch-over', { positions: [position('430100', { a: 5n, b: -6n })] }, ['fund.position.negative_surplus']],
    ['a city given twice', { positions: [position('430100', { a: 5n }), position('430100', { a: 6n })] }, ['fund.position.duplicate_city']],
  ];
  it.each(refusals)('refuses %s, as reasons', (_, patch, codes) => {
    const result = runAdjustmentYears({ ...base(), ...patch });
    expect(result.ok || result.reasons.map((r) => r.code)).toEqual(codes);
  });
});

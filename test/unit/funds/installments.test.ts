import { addMonthsClamped, dueDates, planCityRemittance, planInstallments, remittancePlanId } from '../../../src/domain/funds';
import { position, unifiedSample, valueOf } from './support';

/** fund-rules.md, worked example, unified model: bucket, amount, share, total, installments. */
const WORKED_EXAMPLE = [
  ['upto-2010', 123_456_789n, '1', 123_456_789n, [123_456_789n]],
  ['2011-2015', 98_765_432n, '0.8', 79_012_346n, [39_506_173n, 39_506_173n]],
  ['2016-2019', 55_555_556n, '0.6', 33_333_334n, [11_111_112n, 11_111_111n, 11_111_111n]],
] as const;

const exampleCity = (): ReturnType<typeof position> =>
  position('430100', Object.fromEntries(WORKED_EXAMPLE.map(([id, amount]) => [id, amount])), 20_000_000n, 5_000_000n);

describe('planInstallments — the worked example', () => {
  it.each(WORKED_EXAMPLE)('bucket %s: %d × %s', (_, amount, share, total, amounts) => {
    const schedule = planInstallments(amount, share, amounts.length, '2020-06-30', 'year');
    expect(schedule.totalFen).toBe(total);
    expect(schedule.installments.map((i) => i.amountFen)).toEqual(amounts);
    expect(schedule.installments.map((i) => i.number)).toEqual(amounts.map((_a, i) => i + 1));
  });

  it('rounds half up: 98,765,432 × 0.8 = 79,012,345.6 → 79,012,346, and x.5 goes up', () => {
    expect(planInstallments(98_765_432n, '0.8', 1, '2020-01-01', 'year').totalFen).toBe(79_012_346n);
    expect(planInstallments(5n, '0.5', 1, '2020-01-01', 'year').totalFen).toBe(3n);
    expect(planInstallments(5n, '0.3', 1, '2020-01-01', 'year').totalFen).toBe(2n);
  });

  it('gives the remainder fen one each to the earliest installments', () => {
    expect(planInstallments(10n, '1', 4, '2020-01-01', 'month').installments.map((i) => i.amountFen)).toEqual([3n, 3n, 2n, 2n]);
    expect(planInstallments(2n, '1', 5, '2020-01-01', 'month').installments.map((i) => i.amountFen)).toEqual([1n, 1n, 0n, 0n, 0n]);
  });

  it('keeps whole fen beyond 2^53', () => {
    const amount = 2n ** 70n + 1n;
    const schedule = planInstallments(amount, '1', 3, '2020-01-01', 'year');
    expect(schedule.totalFen).toBe(amount);
    expect(schedule.installments.map((i) => i.amountFen)).toEqual([393530540239137101142n, 393530540239137101142n, 393530540239137101141n]);
  });

  it.each([
    ['a negative amount', () => planInstallments(-1n, '1', 1, '2020-01-01', 'year')],
    ['no installments', () => planInstallments(1n, '1', 0, '2020-01-01', 'year')],
    ['a fractional count', () => planInstallments(1n, '1', 1.5, '2020-01-01', 'year')],
    ['a share above one', () => planInstallments(1n, '1.5', 1, '2020-01-01', 'year')],
    ['a negative share', () => planInstallments(1n, '-0.5', 1, '2020-01-01', 'year')],
    ['a bad date', () => planInstallments(1n, '1', 1, '2020-02-30', 'year')],
  ])('refuses %s', (_, call) => {
    expect(call).toThrow(RangeError);
  });
});

describe('due dates', () => {
  it('steps by year, quarter and month from the anchor', () => {
    expect(dueDates('2020-06-30', 3, 'year')).toEqual(['2020-06-30', '2021-06-30', '2022-06-30']);
    expect(dueDates('2020-02-15', 3, 'quarter')).toEqual(['2020-02-15', '2020-05-15', '2020-08-15']);
    expect(dueDates('2020-11-10', 3, 'month')).toEqual(['2020-11-10', '2020-12-10', '2021-01-10']);
  });

  it('clamps to the month end from the anchor, never drifting', () => {
    expect(dueDates('2024-01-31', 4, 'month')).toEqual(['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30']);
    expect(dueDates('2023-01-31', 2, 'month')).toEqual(['2023-01-31', '2023-02-28']);
    expect(dueDates('2020-03-31', 3, 'quarter')).toEqual(['2020-03-31', '2020-06-30', '2020-09-30']);
    expect(dueDates('2024-02-29', 5, 'year')).toEqual(['2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29']);
  });

  it('moves backwards too and refuses to leave the calendar', () => {
    expect(addMonthsClamped('2021-03-31', -1)).toBe('2021-02-28');
    expect(addMonthsClamped('2021-01-15', -13)).toBe('2019-12-15');
    expect(() => addMonthsClamped('9999-12-31', 1)).toThrow(RangeError);
    expect(() => addMonthsClamped('2021-1-5', 1)).toThrow(RangeError);
  });
});

describe('planCityRemittance', () => {
  it('plans every bucket of the worked example for one city, with its inputs', () => {
    const plan = valueOf(planCityRemittance(exampleCity(), unifiedSample()));
    expect(plan).toMatchObject({
      planId: 'remit:430100:2020.1',
      cityCode: '430100',
      policyVersion: '2020.1',
      switchOver: '2020-01-01',
      surplusFen: 277_777_777n,
      ofWhichReserveFen: 20_000_000n,
      ofWhichCityAdjustmentFundFen: 5_000_000n,
      remittedFen: 123_456_789n + 79_012_346n + 33_333_334n,
      retainedFen: 277_777_777n - (123_456_789n + 79_012_346n + 33_333_334n),
    });
    expect(plan.buckets.map((b) => [b.bucketId, b.amountFen, b.share, b.totalFen, b.installments.map((i) => i.amountFen)])).toEqual(
      WORKED_EXAMPLE.map(([id, amount, share, total, amounts]) => [id, amount, share, total, amounts]),
    );
    expect(plan.buckets[1]).toMatchObject({ label: '2011—2015年累计结余', from: '2011-01-01', to: '2015-12-31', installmentCount: 2, firstDue: '2020-12-31', every: 'year' });
    expect(plan.buckets[0]).not.toHaveProperty('from');
  });

  it('numbers the installments across the plan by due date, then bucket order', () => {
    const plan = valueOf(planCityRemittance(exampleCity(), unifiedSample()));
    expect(plan.installments.map((i) => [i.number, i.dueDate, i.bucketId, i.bucketInstallmentNumber, i.amountFen])).toEqual([
      [1, '2020-03-31', '2016-2019', 1, 11_111_112n],
      [2, '2020-06-30', 'upto-2010', 1, 123_456_789n],
      [3, '2020-06-30', '2016-2019', 2, 11_111_111n],
      [4, '2020-09-30', '2016-2019', 3, 11_111_111n],
      [5, '2020-12-31', '2011-2015', 1, 39_506_173n],
      [6, '2021-12-31', '2011-2015', 2, 39_506_173n],
    ]);
    expect(plan.installments.every((i) => i.planId === plan.planId)).toBe(true);
    expect(plan.installments.reduce((s, i) => s + i.amountFen, 0n)).toBe(plan.remittedFen);
  });

  it('ignores the order the position lists its buckets in', () => {
    const shuffled = { ...exampleCity(), buckets: [...exampleCity().buckets].reverse() };
    expect(planCityRemittance(shuffled, unifiedSample())).toEqual(planCityRemittance(exampleCity(), unifiedSample()));
  });

  it('makes a new plan id for a new policy version, leaving the old one alone', () => {
    const v2 = { ...unifiedSample(), version: '2020.2' };
    expect(valueOf(planCityRemittance(exampleCity(), v2)).planId).toBe(remittancePlanId('430100', '2020.2'));
  });

  it.each([
    ['a missing bucket', position('430100', { 'upto-2010': 1n, '2011-2015': 1n }), [['fund.position.missing_bucket', '2016-2019']]],
    ['an unknown bucket', position('430100', { 'upto-2010': 1n, '2011-2015': 1n, '2016-2019': 1n, '2020': 1n }), [['fund.position.unknown_bucket', '2020']]],
    ['a negative bucket', position('430100', { 'upto-2010': 5n, '2011-2015': -1n, '2016-2019': 1n }), [['fund.position.negative_bucket', '2011-2015']]],
    ['a bad city code', position('4301', { 'upto-2010': 1n, '2011-2015': 1n, '2016-2019': 1n }), [['fund.position.bad_city_code', undefined]]],
    ['of-which parts above the surplus', position('430100', { 'upto-2010': 1n, '2011-2015': 1n, '2016-2019': 1n }, 2n, 2n), [['fund.position.of_which_exceeds_surplus', undefined]]],
    ['a negative reserve', position('430100', { 'upto-2010': 1n, '2011-2015': 1n, '2016-2019': 1n }, -1n), [['fund.position.negative_of_which', undefined]]],
  ])('refuses a position with %s, as reasons', (_, pos, expected) => {
    const result = planCityRemittance(pos, unifiedSample());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reasons.map((r) => [r.code, r.bucketId])).toEqual(expected);
  });

  it('refuses a bucket given twice', () => {
    const pos = exampleCity();
    const twice = { ...pos, buckets: [...pos.buckets, { bucketId: 'upto-2010', amountFen: 1n }] };
    const result = planCityRemittance(twice, unifiedSample());
    expect(result.ok || result.reasons.map((r) => r.code)).toEqual(['fund.position.duplicate_bucket']);
  });
});

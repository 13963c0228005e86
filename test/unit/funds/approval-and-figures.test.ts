/** Who may approve a plan, and how loaded city records become the inputs of the fund rules. */
import { approvalRefusal, cityFlows, cityPositions, FUND_APPROVER_ROLE, type FlowRecord, type PositionRecord } from '../../../src/domain/funds';
import { unifiedSample } from './support';

describe('approvalRefusal', () => {
  const approvers = ['fin.li', 'hrss.wang'];

  it('lets a named user in the fund approver role approve', () => {
    expect(approvalRefusal({ approver: ' fin.li ', role: FUND_APPROVER_ROLE }, approvers)).toBeNull();
  });

  it.each([
    [{ approver: '', role: FUND_APPROVER_ROLE }, /user id/],
    [{ approver: 'fin.li', role: 'steward' }, /may not approve/],
    [{ approver: 'zhang', role: FUND_APPROVER_ROLE }, /not an approver/],
  ])('refuses %j', (request, message) => {
    expect(approvalRefusal(request, approvers)).toMatch(message);
  });

  it('refuses everyone when the policy names nobody', () => {
    expect(approvalRefusal({ approver: 'fin.li', role: FUND_APPROVER_ROLE }, [])).toMatch(/names no approvers/);
  });
});

const pos = (naturalKey: string, p: Partial<PositionRecord>): PositionRecord => ({
  naturalKey, cityCode: '430100', bucketId: null, year: null, basis: 'final_accounts', surplusFen: 0n, reserveFen: 0n, cityAdjustmentFundFen: 0n, ...p,
});

describe('cityPositions', () => {
  const buckets = unifiedSample().buckets; // upto-2010 · 2011-2015 · 2016-2019

  it('sorts years into the bucket holding the whole year, sums of-which parts, keeps the sources', () => {
    const { positions, reasons } = cityPositions(
      [
        pos('a', { year: 2009, surplusFen: 100n, reserveFen: 10n }),
        pos('b', { year: 2010, surplusFen: 200n }),
        pos('c', { year: 2012, surplusFen: 300n, cityAdjustmentFundFen: 5n }),
        pos('d', { bucketId: '2016-2019', surplusFen: 400n }),
      ],
      buckets,
    );
    expect(reasons).toEqual([]);
    expect(positions).toEqual([
      {
        cityCode: '430100',
        basis: 'final_accounts',
        buckets: [{ bucketId: 'upto-2010', amountFen: 300n }, { bucketId: '2011-2015', amountFen: 300n }, { bucketId: '2016-2019', amountFen: 400n }],
        reserveFen: 10n,
        cityAdjustmentFundFen: 5n,
        sources: ['a', 'b', 'c', 'd'],
      },
    ]);
  });

  it('takes final accounts over the budget, per city, and the budget where there is nothing else', () => {
    const { positions } = cityPositions([
      pos('x1', { bucketId: 'b1', surplusFen: 1n, basis: 'budget' }),
      pos('x2', { bucketId: 'b1', surplusFen: 2n }),
      pos('y1', { cityCode: '430200', bucketId: 'b1', surplusFen: 7n, basis: 'budget' }),
    ]);
    expect(positions.map((p) => [p.cityCode, p.basis, p.buckets])).toEqual([
      ['430100', 'final_accounts', [{ bucketId: 'b1', amountFen: 2n }]],
      ['430200', 'budget', [{ bucketId: 'b1', amountFen: 7n }]],
    ]);
  });

  it('refuses a year outside every bucket and a bucket given both whole and by years', () => {
    const outside = cityPositions([pos('a', { year: 2020, surplusFen: 1n })], buckets);
    expect(outside.positions).toEqual([]);
    expect(outside.reasons.map((r) => r.code)).toEqual(['fund.position.year_outside_buckets']);
    const mixed = cityPositions([pos('a', { year: 2012, surplusFen: 1n }), pos('b', { bucketId: '2011-2015', surplusFen: 1n })], buckets);
    expect(mixed.reasons.map((r) => [r.code, r.bucketId])).toEqual([['fund.position.mixed_periods', '2011-2015']]);
  });

  it('without policy buckets (adjustment model) keeps each year as its own bucket', () => {
    const { positions } = cityPositions([pos('a', { year: 2020, surplusFen: 5n }), pos('b', { year: 2021, surplusFen: 6n })]);
    expect(positions[0]!.buckets).toEqual([{ bucketId: 'year-2020', amountFen: 5n }, { bucketId: 'year-2021', amountFen: 6n }]);
  });
});

describe('cityFlows', () => {
  const flow = (naturalKey: string, f: Partial<FlowRecord>): FlowRecord => ({
    naturalKey, cityCode: '430100', year: 2021, basis: 'final_accounts', contributionIncomeFen: 1n, otherIncomeFen: 0n, expenditureFen: 1n, ...f,
  });

  it('one flow per city and year from the switch-over year, final accounts first', () => {
    const flows = cityFlows(
      [
        flow('k1', { year: 2020 }),
        flow('k2', { year: 2021, basis: 'budget', contributionIncomeFen: 9n }),
        flow('k3', { year: 2021, contributionIncomeFen: 5n }),
        flow('k4', { year: 2022, basis: 'budget', contributionIncomeFen: 7n }),
      ],
      2021,
    );
    expect(flows.map((f) => [f.year, f.basis, f.contributionIncomeFen, f.source])).toEqual([
      [2021, 'final_accounts', 5n, 'k3'],
      [2022, 'budget', 7n, 'k4'],
    ]);
  });
});

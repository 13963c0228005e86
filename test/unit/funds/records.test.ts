/** The city fund record kinds: amounts in their declared unit to fen, periods, basis, totals. */
import type { Fields, NormalizeContext, RowResult } from '../../../src/domain/normalize/types';
import { recordKind } from '../../../src/domain/records';

function ctx(columns: NormalizeContext['columns'], codes: NormalizeContext['codes'] = {}): NormalizeContext {
  return { cityCode: '430100', provinceCode: '43', loadDate: '2024-06-30', date1904: false, codes, columns, uscExceptions: new Set() };
}

const WAN = { unit: 'wan_yuan' } as const;
const positionCtx = ctx({ bucket: { codes: 'period' }, surplus: WAN, reserve: WAN, city_adjustment_fund: WAN, basis: {} }, { period: { '2010年及以前': 'upto-2010' } });

const position = (fields: Fields, c = positionCtx): RowResult => recordKind('fund_position').normalize(fields, c);
const fundYear = (fields: Fields, c: NormalizeContext): RowResult => recordKind('fund_year').normalize(fields, c);

function payloadOf(result: RowResult): { key: string; payload: Record<string, unknown> } {
  if (result.kind !== 'record') throw new Error(`expected a record, got ${JSON.stringify(result)}`);
  return { key: result.parts[0]!.naturalKey, payload: result.parts[0]!.payload };
}
const codesOf = (result: RowResult): string[] => (result.kind === 'rejected' ? result.reasons.map((r) => r.code).sort() : [`not rejected: ${result.kind}`]);

describe('fund_position', () => {
  it('turns 万元 into exact fen and keeps the unit, bucket through the code table', () => {
    const { key, payload } = payloadOf(position({ bucket: '2010年及以前', surplus: '1234.567891', reserve: '100', city_adjustment_fund: 0.5, basis: '决算' }));
    expect(key).toBe('430100:upto-2010:final_accounts');
    expect(payload).toEqual({
      city_code: '430100',
      period: 'upto-2010',
      bucket_id: 'upto-2010',
      year: null,
      basis: 'final_accounts',
      surplus_fen: '1234567891',
      reserve_fen: '100000000',
      city_adjustment_fund_fen: '500000',
      unit: 'wan_yuan',
    });
  });

  it('takes a year of accrual instead of a bucket, its own city column, budget figures', () => {
    const c = ctx({ year: {}, city_code: {}, surplus: { unit: 'yuan' }, basis: {} });
    const { key, payload } = payloadOf(position({ year: '2012年', city_code: '430200', surplus: '1,000.05', basis: '预算' }, c));
    expect(key).toBe('430200:year-2012:budget');
    expect(payload).toMatchObject({ city_code: '430200', period: '2012', bucket_id: null, year: 2012, basis: 'budget', surplus_fen: '100005', reserve_fen: '0', unit: 'yuan' });
  });

  it('refuses of-which parts larger than the surplus they are part of', () => {
    expect(codesOf(position({ bucket: '2010年及以前', surplus: '10', reserve: '6', city_adjustment_fund: '5' }))).toEqual(['fund.of_which_exceeds_surplus']);
  });

  it('refuses amounts finer than a fen, negative amounts and columns without a declared unit', () => {
    const c = ctx({ bucket: {}, surplus: WAN, reserve: {} });
    expect(codesOf(position({ bucket: 'a', surplus: '0.0000001' }, c))).toEqual(['amount.precision']);
    expect(codesOf(position({ bucket: 'a', surplus: '-1' }, c))).toEqual(['amount.negative']);
    expect(codesOf(position({ bucket: 'a', surplus: '1', reserve: '1' }, c))).toEqual(['amount.unit_missing']);
  });

  it('needs exactly one of bucket and year, a known period code, a known basis and a city of the province', () => {
    const c = ctx({ bucket: {}, year: {}, surplus: WAN, city_code: {}, basis: {} });
    expect(codesOf(position({ bucket: 'a', year: 2012, surplus: '1' }, c))).toEqual(['fund.period']);
    expect(codesOf(position({ bucket: null, year: ' ', surplus: '1' }, c))).toEqual(['fund.period']);
    expect(codesOf(position({ bucket: '2011-2015年', surplus: '1' }))).toEqual(['code.unmapped']);
    expect(codesOf(position({ bucket: 'a b', surplus: '1' }, c))).toEqual(['fund.bucket']);
    expect(codesOf(position({ bucket: 'a', surplus: '1', basis: '估算' }, c))).toEqual(['fund.basis']);
    expect(codesOf(position({ bucket: 'a', surplus: '1', city_code: '440100' }, c))).toEqual(['division_code.unknown']);
  });

  it('skips the statement total line', () => {
    expect(position({ bucket: '合 计', surplus: '99' })).toEqual({ kind: 'skipped', code: 'skip.subtotal' });
  });
});

describe('fund_year', () => {
  const c = ctx({ year: {}, contribution_income: WAN, other_income: WAN, expenditure: WAN });

  it('reads a year of flows in 万元, other income optional', () => {
    const { key, payload } = payloadOf(fundYear({ year: 2021, contribution_income: '5000', expenditure: '4000.01' }, c));
    expect(key).toBe('430100:2021:final_accounts');
    expect(payload).toEqual({
      city_code: '430100',
      year: 2021,
      basis: 'final_accounts',
      contribution_income_fen: '5000000000',
      other_income_fen: '0',
      expenditure_fen: '4000010000',
      unit: 'wan_yuan',
    });
  });

  it('refuses a row without a year or with an unreadable amount, and skips the total', () => {
    expect(codesOf(fundYear({ year: '二〇二一', contribution_income: '1', expenditure: '1' }, c))).toEqual(['fund.year']);
    expect(codesOf(fundYear({ year: 2021, contribution_income: 'abc', expenditure: '1' }, c))).toEqual(['amount.format']);
    expect(fundYear({ year: '合计', contribution_income: '1', expenditure: '1' }, c)).toEqual({ kind: 'skipped', code: 'skip.subtotal' });
  });
});

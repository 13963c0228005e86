/** Records to rows and back: column names from field names, fen as exact text, timestamps as ISO. */
import { fromRow, jsonSafe, toRow } from '../../../src/funds/wire';

describe('fund rows', () => {
  it('writes camelCase fields as snake_case columns with bigints as text', () => {
    expect(toRow({ runId: '7', surplusOpeningFen: 12345678901234567890n, proRata: true, ofWhichCityAdjustmentFundFen: -1n })).toEqual({
      run_id: '7',
      surplus_opening_fen: '12345678901234567890',
      pro_rata: true,
      of_which_city_adjustment_fund_fen: '-1',
    });
  });

  it('reads *_fen columns back as exact bigints and timestamps as ISO text, other values as they are', () => {
    expect(fromRow({ surplus_opening_fen: '12345678901234567890', approved_at: new Date('2026-01-02T03:04:05Z'), published_at: null, gap_fen: null, year: 2024, due_date: '2027-02-28' })).toEqual({
      surplusOpeningFen: 12345678901234567890n,
      approvedAt: '2026-01-02T03:04:05.000Z',
      publishedAt: null,
      gapFen: null,
      year: 2024,
      dueDate: '2027-02-28',
    });
  });

  it('makes nested bigints JSON-safe', () => {
    expect(jsonSafe({ a: [1n, { b: 2n }], c: 'x' })).toEqual({ a: ['1', { b: '2' }], c: 'x' });
  });
});

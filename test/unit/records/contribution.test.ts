import { contributionRecord } from '../../../src/domain/records/contribution';
import { context, parts, reasons } from './support';

const yuan = context({ columns: { amount_due: { unit: 'yuan' }, amount_paid: { unit: 'yuan' }, payroll_base: { unit: 'wan_yuan' } } });

describe('contribution rows', () => {
  it('normalizes amounts to fen, the period, the rate as a decimal string', () => {
    const [p] = parts(contributionRecord.normalize({ employer_no: 'E1', period: 202305, amount_due: '1,234.50元', amount_paid: 1234.5, payroll_base: '12.345', rate: '0.50%' }, yuan));
    expect(p).toEqual({
      entity: 'contribution',
      naturalKey: '@employer:E1|2023-05',
      payload: { period: '2023-05', amount_due_fen: '123450', amount_paid_fen: '123450', payroll_base_fen: '12345000', rate: '0.005', city_code: '430200' },
      refs: [{ field: 'employer_id', entity: 'employer', by: 'city_key', value: 'E1', missingCode: 'reference.employer_missing', inKey: true }],
    });
  });

  it('reads a spreadsheet number at the 15 significant digits Excel shows: a formula result 0.1+0.2 is 0.30', () => {
    const [p] = parts(contributionRecord.normalize({ employer_no: 'E1', period: '2023-05', amount_due: 0.1 + 0.2 }, yuan));
    expect(p!.payload.amount_due_fen).toBe('30');
    // typed as text, the same digits are not a whole number of fen
    expect(reasons(contributionRecord.normalize({ employer_no: 'E1', period: '2023-05', amount_due: '0.30000000000000004' }, yuan))).toEqual(['amount.precision@amount_due']);
  });

  it('optional amounts may be empty; required ones may not', () => {
    const [p] = parts(contributionRecord.normalize({ employer_no: 'E1', period: '2023年5月', amount_due: 10, amount_paid: '' }, yuan));
    expect(p!.payload).toMatchObject({ amount_paid_fen: null, payroll_base_fen: null, rate: null });
    expect(reasons(contributionRecord.normalize({ employer_no: 'E1', period: '2023-05', amount_due: '' }, yuan))).toEqual(['amount.format@amount_due']);
  });

  it('rejects negative, imprecise and malformed amounts, bad periods and rates together', () => {
    const result = contributionRecord.normalize({ employer_no: 'E1', period: '2031-01', amount_due: -5, amount_paid: '1,23.4', payroll_base: '1.2345678', rate: 'abc' }, yuan);
    expect(reasons(result)).toEqual(['amount.format@amount_paid', 'amount.negative@amount_due', 'amount.precision@payroll_base', 'date.range@period', 'rate.format@rate']);
  });

  it('allows negative amounts where the column says so (refunds)', () => {
    const ctx = context({ columns: { amount_due: { unit: 'yuan', allow_negative: true } } });
    expect(parts(contributionRecord.normalize({ employer_no: 'E1', period: '2023-05', amount_due: '-12.5' }, ctx))[0]!.payload.amount_due_fen).toBe('-1250');
  });
});

/** The plan workflow's pure helpers: China calendar days and receipt checks. */
import { chinaDate, overdueAt } from '../../../workflows/funds-clock';
import { installmentView, receiptRefusal, toFinanceReceipt, type ReceiptMessage } from '../../../workflows/funds-messages';
import { installmentStatus } from '../../../src/domain/funds';

describe('China calendar days', () => {
  it('a UTC instant after 16:00 is already the next day in China', () => {
    expect(chinaDate(Date.UTC(2026, 11, 31, 15, 59, 59, 999))).toBe('2026-12-31');
    expect(chinaDate(Date.UTC(2026, 11, 31, 16, 0))).toBe('2027-01-01');
  });

  it('an installment is overdue from 00:00 China time on the day after its due date', () => {
    const at = overdueAt('2027-02-28');
    expect(new Date(at).toISOString()).toBe('2027-02-28T16:00:00.000Z');
    expect(chinaDate(at - 1)).toBe('2027-02-28');
    expect(chinaDate(at)).toBe('2027-03-01');
    expect(overdueAt('2028-12-31')).toBe(Date.UTC(2028, 11, 31, 16));
  });
});

describe('receiptRefusal', () => {
  const numbers = new Set([1, 2, 3]);
  const ok: ReceiptMessage = { receiptId: 'R1', planId: 'remit:430100:v:1', installmentNumber: 2, amountFen: '100', receivedOn: '2027-01-05' };
  const refuse = (m: Partial<ReceiptMessage>, known = new Map<string, ReceiptMessage>()) => receiptRefusal({ ...ok, ...m }, ok.planId, numbers, known);

  it('takes a well-formed receipt for a known installment, and the same one again', () => {
    expect(refuse({})).toBeNull();
    expect(refuse({}, new Map([['R1', ok]]))).toBeNull();
  });

  it.each<[Partial<ReceiptMessage>, RegExp]>([
    [{ receiptId: ' ' }, /receipt id/],
    [{ planId: 'remit:430100:v:2' }, /not remit:430100:v:1/],
    [{ installmentNumber: 4 }, /no installment 4/],
    [{ amountFen: '0' }, /positive integer/],
    [{ amountFen: '-5' }, /positive integer/],
    [{ amountFen: '1.5' }, /positive integer/],
    [{ receivedOn: '2027-02-30' }, /YYYY-MM-DD/],
  ])('refuses %j', (m, message) => {
    expect(refuse(m)).toMatch(message);
  });

  it('refuses one receipt id delivered again with other contents', () => {
    expect(refuse({ amountFen: '101' }, new Map([['R1', ok]]))).toMatch(/other contents/);
  });

  it('turns into a domain receipt and a status view with fen as text', () => {
    const status = installmentStatus({ planId: ok.planId, number: 2, dueDate: '2027-01-31', amountFen: 60n }, [toFinanceReceipt(ok)], '2027-02-01');
    expect(installmentView(status)).toEqual({
      number: 2, dueDate: '2027-01-31', amountFen: '60', state: 'overpaid', paidFen: '100', outstandingFen: '0', overpaidFen: '40',
      receiptIds: ['R1'], paidOn: '2027-01-05', paidLate: false,
    });
  });
});

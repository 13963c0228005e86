import { installmentStatus, matchReceipts, type FinanceReceipt, type InstallmentRef } from '../../../src/domain/funds';

const PLAN = 'remit:430100:2020.1';
const inst = (number: number, dueDate: string, amountFen: bigint): InstallmentRef => ({ planId: PLAN, number, dueDate, amountFen });
const receipt = (receiptId: string, installmentNumber: number, amountFen: bigint, receivedOn: string, planId = PLAN): FinanceReceipt => ({
  receiptId,
  planId,
  installmentNumber,
  amountFen,
  receivedOn,
});

const FIRST = inst(1, '2020-06-30', 1_000n);

describe('installmentStatus', () => {
  it('is pending before anything arrives, including on the due date itself', () => {
    expect(installmentStatus(FIRST, [], '2020-06-30')).toMatchObject({ state: 'pending', paidFen: 0n, outstandingFen: 1_000n, overpaidFen: 0n, receiptIds: [] });
  });

  it('leaves the rest due after a partial payment', () => {
    const status = installmentStatus(FIRST, [receipt('r1', 1, 400n, '2020-05-01')], '2020-06-01');
    expect(status).toMatchObject({ state: 'partial', paidFen: 400n, outstandingFen: 600n, receiptIds: ['r1'], paidLate: false });
    expect(status).not.toHaveProperty('paidOn');
  });

  it('is paid when receipts add up to the amount, and records the day they did', () => {
    const status = installmentStatus(FIRST, [receipt('r2', 1, 600n, '2020-06-20'), receipt('r1', 1, 400n, '2020-05-01')], '2020-12-31');
    expect(status).toMatchObject({ state: 'paid', paidFen: 1_000n, outstandingFen: 0n, receiptIds: ['r1', 'r2'], paidOn: '2020-06-20', paidLate: false });
  });

  it('flags an overpayment and never absorbs it', () => {
    const status = installmentStatus(FIRST, [receipt('r1', 1, 1_250n, '2020-06-01')], '2020-06-30');
    expect(status).toMatchObject({ state: 'overpaid', paidFen: 1_250n, outstandingFen: 0n, overpaidFen: 250n, paidOn: '2020-06-01' });
    // the next installment gets nothing from the excess
    expect(installmentStatus(inst(2, '2021-06-30', 1_000n), [receipt('r1', 1, 1_250n, '2020-06-01')], '2021-07-01')).toMatchObject({ state: 'overdue', paidFen: 0n });
  });

  it('is overdue the day after the due date when not fully paid, partly paid or not', () => {
    expect(installmentStatus(FIRST, [], '2020-07-01')).toMatchObject({ state: 'overdue', outstandingFen: 1_000n });
    expect(installmentStatus(FIRST, [receipt('r1', 1, 999n, '2020-06-30')], '2020-07-01')).toMatchObject({ state: 'overdue', paidFen: 999n, outstandingFen: 1n });
  });

  it('marks a payment completed after the due date as late', () => {
    const status = installmentStatus(FIRST, [receipt('r1', 1, 500n, '2020-06-01'), receipt('r2', 1, 500n, '2020-07-15')], '2020-08-01');
    expect(status).toMatchObject({ state: 'paid', paidOn: '2020-07-15', paidLate: true });
  });

  it('counts only receipts known as of the day, for this plan and number, well-formed, each id once', () => {
    const status = installmentStatus(FIRST, [
      receipt('later', 1, 1_000n, '2020-07-02'),
      receipt('other-installment', 2, 1_000n, '2020-06-01'),
      receipt('other-plan', 1, 1_000n, '2020-06-01', 'remit:430200:2020.1'),
      receipt('negative', 1, -100n, '2020-06-01'),
      receipt('bad-date', 1, 100n, '2020-06-31'),
      receipt('r1', 1, 300n, '2020-06-01'),
      receipt('r1', 1, 300n, '2020-06-01'),
    ], '2020-07-01');
    expect(status).toMatchObject({ state: 'overdue', paidFen: 300n, receiptIds: ['r1'] });
  });

  it('treats a zero installment as paid', () => {
    expect(installmentStatus(inst(3, '2020-01-01', 0n), [], '2021-01-01')).toMatchObject({ state: 'paid', paidLate: false });
  });

  it('refuses an asOf that is not a date', () => {
    expect(() => installmentStatus(FIRST, [], '2020/07/01')).toThrow(RangeError);
  });
});

describe('matchReceipts', () => {
  const plan = [FIRST, inst(2, '2021-06-30', 1_000n), inst(3, '2022-06-30', 1_000n)];

  it('gives every installment a status and reports the receipts that cannot be counted', () => {
    const { statuses, reasons } = matchReceipts(plan, [
      receipt('r1', 1, 1_000n, '2020-06-01'),
      receipt('r2', 2, 1_100n, '2021-06-01'),
      receipt('r3', 4, 50n, '2021-06-01'),
      receipt('r4', 3, 0n, '2021-06-01'),
      receipt('r5', 3, 10n, 'yesterday'),
      receipt('r1', 2, 1_000n, '2020-06-01'),
    ], '2022-07-01');
    expect(statuses.map((s) => [s.number, s.state])).toEqual([[1, 'paid'], [2, 'overpaid'], [3, 'overdue']]);
    expect(reasons.map((r) => [r.code, r.receiptId])).toEqual([
      ['fund.receipt.unknown_installment', 'r3'],
      ['fund.receipt.non_positive_amount', 'r4'],
      ['fund.receipt.bad_date', 'r5'],
      ['fund.receipt.conflicting_duplicate', 'r1'],
    ]);
  });

  it('accepts the same receipt delivered twice without complaint', () => {
    const twice = [receipt('r1', 1, 1_000n, '2020-06-01'), receipt('r1', 1, 1_000n, '2020-06-01')];
    expect(matchReceipts(plan, twice, '2020-07-01')).toMatchObject({ reasons: [], statuses: [{ state: 'paid', paidFen: 1_000n }, { state: 'pending' }, { state: 'pending' }] });
  });
});

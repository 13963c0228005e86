/** Finance-bureau workbooks: Chinese headers, exact yuan text from fen, no formula can run. */
import * as XLSX from 'xlsx';
import { coverageTables, planTables, statusTables } from '../../../src/funds/tables';
import { fundWorkbook, neutraliseText } from '../../../src/funds/workbook';
import { renderFundTables } from '../../../src/funds/render';
import type { StoredPlan } from '../../../src/funds/plans';
import type { StoredRun } from '../../../src/funds/coverage';

const plan: StoredPlan = {
  planId: 'remit:430100:2020.1:1', cityCode: '430100', planVersion: 1, policyVersion: '2020.1', basis: 'final_accounts',
  surplusFen: 123456789n, ofWhichReserveFen: 5n, ofWhichCityAdjustmentFundFen: 0n, remittedFen: 123456789n, retainedFen: 0n,
  status: 'awaiting_approval', approvedBy: null, approverRole: null, approvedAt: null, approvalNote: null, publishedAt: null,
  computedAt: '2026-11-29T00:00:00.000Z',
  installments: [
    { planId: 'remit:430100:2020.1:1', number: 1, cityCode: '430100', planVersion: 1, policyVersion: '2020.1', bucketId: 'upto-2010', bucketInstallmentNumber: 1,
      dueDate: '2020-06-30', amountFen: 123456789n, bucketAmountFen: 123456789n, share: '1', bucketTotalFen: 123456789n, bucketInstallments: 1, computedAt: '2026-11-29T00:00:00.000Z' },
  ],
};

const sheetRows = (book: XLSX.WorkBook, name: string): unknown[][] => XLSX.utils.sheet_to_json(book.Sheets[name]!, { header: 1, raw: true });

describe('fund workbooks', () => {
  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(['=SUM(A1)', '+1', '-800.00', '@x', '1.00', '长沙'].map(neutraliseText)).toEqual(["'=SUM(A1)", "'+1", "'-800.00", "'@x", '1.00', '长沙']);
  });

  it('writes plans with Chinese headers and amounts as exact yuan text', () => {
    const book = XLSX.read(XLSX.write(fundWorkbook(planTables([plan])), { type: 'buffer', bookType: 'xlsx' }), { type: 'buffer' });
    expect(book.SheetNames).toEqual(['上解计划', '分期明细']);
    const [header, row] = sheetRows(book, '分期明细');
    expect(header).toEqual(expect.arrayContaining(['期次', '到期日', '应上解金额(元)', '上解比例']));
    const cell = (name: string): unknown => row![(header as string[]).indexOf(name)];
    expect(cell('应上解金额(元)')).toBe('1234567.89');
    expect(cell('期次')).toBe(1);
    expect(sheetRows(book, '上解计划')[1]).toEqual(expect.arrayContaining(['待审批', '1234567.89']));
  });

  it('a negative balance in the coverage sheet cannot become a formula', () => {
    const zero = 0n;
    const run: StoredRun = {
      runId: '1', policyVersion: '2021.1', computedAt: '2026-11-29T00:00:00.000Z', openingFundFen: 0n,
      fund: [{ year: 2021, openingFen: zero, remittancesFen: 1n, availableFen: 1n, claimsFen: 2n, disbursedFen: 1n, proRata: true, closingFen: zero }],
      rows: [{
        year: 2021, cityCode: '430200', policyVersion: '2021.1', basis: 'final_accounts', contributionIncomeFen: 100n, otherIncomeFen: zero, expenditureFen: 180n,
        ratio: '0.12', ratioSource: 'city', remittanceFen: 12n, balanceFen: -92n, surplusOpeningFen: zero, addedToSurplusFen: zero, gapFen: 92n,
        fromOwnSurplusFen: zero, openGapFen: 92n, fromAdjustmentFundFen: 1n, sharedGapFen: 91n, gapShareProvince: '0.5', sharedGapProvinceFen: 46n,
        sharedGapCityFen: 45n, surplusClosingFen: zero,
      }],
    };
    const book = XLSX.read(XLSX.write(fundWorkbook(coverageTables(run)), { type: 'buffer', bookType: 'xlsx' }), { type: 'buffer' });
    const [header, row] = sheetRows(book, '缺口弥补');
    expect(row![(header as string[]).indexOf('当年收支结余(元)')]).toBe("'-0.92");
    expect(row![(header as string[]).indexOf('比例来源')]).toBe('本市');
    expect(sheetRows(book, '调剂金台账')[1]).toEqual([2021, '0.00', '0.01', '0.01', '0.02', '0.01', '是', '0.00']);
    // the terminal shows the amount as it is (no apostrophe there)
    expect(renderFundTables(coverageTables(run))).toContain('-0.92');
  });

  it('shows installment states in Chinese', () => {
    const rows = statusTables([{
      planId: plan.planId, number: 1, dueDate: '2020-06-30', amountFen: 100n, asOf: '2020-07-01', state: 'overdue', paidFen: 40n, outstandingFen: 60n,
      overpaidFen: 0n, receiptIds: ['R1'], paidLate: false, cityCode: '430100', planVersion: 1, planStatus: 'published',
    }])[0]!.rows;
    expect(rows[0]).toEqual(expect.arrayContaining(['逾期', '已发布', '0.40', '0.60', 'R1']));
  });
});

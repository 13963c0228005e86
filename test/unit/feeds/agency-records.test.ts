/** Agency records as they arrive — JSON numbers or the text cells of an exchange file — to one form. */
import { transferReceipt } from '../../../src/feeds/agencies/finance';
import { constructionProject } from '../../../src/feeds/agencies/housing';
import { deliveryAcknowledgement } from '../../../src/feeds/agencies/union';
import { accidentReport } from '../../../src/feeds/agencies/work-safety';

describe('transfer receipts', () => {
  it('take 元 as text or number, or fen, exactly', () => {
    expect(transferReceipt.record.parse({ receipt_id: 'R1', plan_id: 'P', installment_number: '2', amount: '1234.56', received_on: '2026-03-01' })).toEqual({
      receiptId: 'R1',
      planId: 'P',
      installmentNumber: 2,
      amountFen: 123_456n,
      receivedOn: '2026-03-01',
    });
    expect(transferReceipt.record.parse({ receipt_id: 1, plan_id: 'P', installment_number: 1, amount: 0.1, received_on: '2026-03-01' })).toMatchObject({ receiptId: '1', amountFen: 10n });
    expect(transferReceipt.record.parse({ receipt_id: 'R', plan_id: 'P', installment_number: 1, amount_fen: '99999999999999999', received_on: '2026-03-01' })).toMatchObject({ amountFen: 99_999_999_999_999_999n });
  });

  it('refuse a fraction of a fen, both amounts, or a bad date', () => {
    expect(transferReceipt.record.safeParse({ receipt_id: 'R', plan_id: 'P', installment_number: 1, amount: '1.005', received_on: '2026-03-01' }).success).toBe(false);
    expect(transferReceipt.record.safeParse({ receipt_id: 'R', plan_id: 'P', installment_number: 1, amount: '1', amount_fen: '100', received_on: '2026-03-01' }).success).toBe(false);
    expect(transferReceipt.record.safeParse({ receipt_id: 'R', plan_id: 'P', installment_number: 1, amount: '1', received_on: '2026/03/01' }).success).toBe(false);
  });
});

it('construction projects need a 6-digit location and a contract value in 元', () => {
  const ok = constructionProject.record.safeParse({ project_id: 'XM-1', name: '某安置房项目', contractor_name: '某建工集团', contract_value: '12000000.00', division_code: '430104', permit_no: '' });
  expect(ok.success && ok.data).toMatchObject({ contract_value: 1_200_000_000n, permit_no: null, planned_start: null });
  expect(constructionProject.record.safeParse({ project_id: 'XM-1', name: 'x', contractor_name: 'y', contract_value: '1', division_code: '4301' }).success).toBe(false);
});

it('accident reports count casualties as whole numbers, absent as none', () => {
  const a = accidentReport.record.parse({ report_id: 'SG-1', occurred_on: '2026-05-01', division_code: '430102', employer_name: '某厂', deaths: '1' });
  expect(a).toMatchObject({ deaths: 1, injuries: 0, employer_usc: null });
  expect(accidentReport.record.safeParse({ report_id: 'SG-1', occurred_on: '2026-05-01', division_code: '430102', employer_name: '某厂', deaths: '-1' }).success).toBe(false);
});

it('acknowledgements name the delivery they acknowledge', () => {
  expect(deliveryAcknowledgement.record.safeParse({ ack_id: 'A1', delivery_key: 'union/x' }).success).toBe(true);
  expect(deliveryAcknowledgement.record.safeParse({ ack_id: 'A1' }).success).toBe(false);
});

/**
 * Benefit payment rows (待遇支付): a case, benefit type and period, with the amount paid in fen and the
 * day it was paid (支付日期) where the source has it.
 */
import { BENEFIT_TYPES } from '../../../mappings/province/enumerations';
import { FieldReader, present } from '../normalize/field-reader';
import { naturalKey } from '../normalize/natural-key';
import type { Fields, NormalizeContext, RecordKind, RowResult } from '../normalize/types';

export const benefitPaymentRecord: RecordKind = {
  entity: 'benefit_payment',
  requiredFields: ['case_no', 'benefit_type', 'period', 'amount'],
  optionalFields: ['id_number', 'name', 'paid_date'],
  enumerations: { benefit_type: BENEFIT_TYPES },
  amountFields: ['amount'],
  keyFields: ['case_no'],
  normalize(fields: Fields, ctx: NormalizeContext): RowResult {
    const r = new FieldReader(fields, ctx);
    const caseKey = r.caseRef();
    r.personRef('person_id', 'id_number', { required: false });
    const type = r.code('benefit_type', BENEFIT_TYPES);
    const period = r.period('period');
    const amount = r.amount('amount');
    const paidDate = r.date('paid_date', { required: false });
    return r.result(() => [
      {
        entity: 'benefit_payment',
        naturalKey: naturalKey(caseKey!, type!, period!),
        payload: { benefit_type: type!, period: period!, amount_fen: amount!, ...present({ paid_date: paidDate }), city_code: ctx.cityCode },
        refs: r.refs,
      },
    ]);
  },
};

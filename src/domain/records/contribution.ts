/**
 * Contribution rows (缴费明细): one employer and period (费款所属期); amounts due and paid in fen, the
 * payroll base (缴费基数/工资总额), the rate and the date the money arrived (到账日期) where the source
 * has them.
 */
import { FieldReader, present } from '../normalize/field-reader';
import { naturalKey } from '../normalize/natural-key';
import type { Fields, NormalizeContext, RecordKind, RowResult } from '../normalize/types';
import { EMPLOYER_REF_FIELDS } from './person-spell';

export const contributionRecord: RecordKind = {
  entity: 'contribution',
  requiredFields: ['period', 'amount_due'],
  optionalFields: [...EMPLOYER_REF_FIELDS, 'amount_paid', 'payroll_base', 'rate', 'paid_date'],
  requiredOneOf: [EMPLOYER_REF_FIELDS],
  amountFields: ['amount_due', 'amount_paid', 'payroll_base'],
  keyFields: [...EMPLOYER_REF_FIELDS, 'period'],
  normalize(fields: Fields, ctx: NormalizeContext): RowResult {
    const r = new FieldReader(fields, ctx);
    const employer = r.employerRef();
    const period = r.period('period');
    const due = r.amount('amount_due');
    const paid = r.amount('amount_paid', { required: false });
    const base = r.amount('payroll_base', { required: false });
    const rate = r.rate('rate');
    const paidDate = r.date('paid_date', { required: false });
    return r.result(() => [
      {
        entity: 'contribution',
        naturalKey: naturalKey(employer!, period!),
        payload: { period: period!, amount_due_fen: due!, amount_paid_fen: paid ?? null, payroll_base_fen: base ?? null, rate: rate ?? null, ...present({ paid_date: paidDate }), city_code: ctx.cityCode },
        refs: r.refs,
      },
    ]);
  },
};

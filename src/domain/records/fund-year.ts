/**
 * City fund year rows: a former pooling area's fund flows in one fiscal year — contribution
 * income (保险费收入, the remittance base), other income (利息、补助等), expenditure (基金支出) —
 * from its final accounts (决算) or budget (预算).
 */
import { RuleCollector } from '../normalize/combine';
import type { Fields, NormalizeContext, RecordKind, RowResult } from '../normalize/types';
import { fundAmount, fundBasis, fundCity, fundYear, isTotalLabel, recordUnit } from './fund-fields';

const AMOUNT_FIELDS = ['contribution_income', 'other_income', 'expenditure'] as const;

export const fundYearRecord: RecordKind = {
  entity: 'fund_year',
  requiredFields: ['year', 'contribution_income', 'expenditure'],
  amountFields: AMOUNT_FIELDS,
  keyFields: ['city_code', 'year'],
  normalize(fields: Fields, ctx: NormalizeContext): RowResult {
    if (isTotalLabel(fields.year)) return { kind: 'skipped', code: 'skip.subtotal' };
    const c = new RuleCollector();
    const cityCode = c.value('city_code', fundCity(fields, ctx));
    const year = c.value('year', fundYear(fields.year));
    const basis = c.value('basis', fundBasis(fields, ctx));
    const contribution = fundAmount(c, fields, ctx, 'contribution_income');
    const other = fundAmount(c, fields, ctx, 'other_income', true);
    const expenditure = fundAmount(c, fields, ctx, 'expenditure');
    if (c.failed || !cityCode || year === undefined || !basis || contribution === undefined || other === undefined || expenditure === undefined) {
      return { kind: 'rejected', reasons: c.reasons, normalized: c.normalized, warnings: c.warnings };
    }
    const payload = {
      city_code: cityCode,
      year,
      basis,
      contribution_income_fen: contribution,
      other_income_fen: other,
      expenditure_fen: expenditure,
      unit: recordUnit(ctx, AMOUNT_FIELDS),
    };
    return {
      kind: 'record',
      parts: [{ entity: 'fund_year', naturalKey: `${cityCode}:${year}:${basis}`, payload, refs: [] }],
      warnings: c.warnings,
      updatedAt: null,
    };
  },
};

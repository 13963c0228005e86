/**
 * City fund position rows (原结余基金): a former pooling area's accumulated surplus at the
 * switch-over, one row per period bucket (`bucket`, the policy's bucket id, through a code table
 * when the statement says "2010年及以前") or per year of accrual (`year`), with the "of which"
 * parts — reserve fund (储备金) and city adjustment fund (市级调剂金) — that are inside the surplus.
 */
import { RuleCollector } from '../normalize/combine';
import type { Fields, NormalizeContext, RecordKind, RowResult } from '../normalize/types';
import { translateCode } from '../rules/codes';
import { fail, ok, type RuleResult } from '../rules/result';
import { cleanCell, isBlankCell } from '../rules/text';
import { fundAmount, fundBasis, fundCity, fundYear, isTotalLabel, recordUnit } from './fund-fields';

const AMOUNT_FIELDS = ['surplus', 'reserve', 'city_adjustment_fund'] as const;
/** The policy's bucket ids: letters, digits, '.', '_' or '-' (they end up inside plan ids). */
const BUCKET_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

type Period = { bucketId: string; year: null } | { bucketId: null; year: number };

/** Exactly one of `bucket` and `year` names the period of a row. */
function fundPeriod(fields: Fields, ctx: NormalizeContext): RuleResult<Period> {
  const hasBucket = fields.bucket !== undefined && !isBlankCell(fields.bucket);
  const hasYear = fields.year !== undefined && !isBlankCell(fields.year);
  if (hasBucket === hasYear) {
    return fail({ code: 'fund.period', detail: hasBucket ? 'both a bucket and a year given' : 'neither a bucket nor a year given' });
  }
  if (hasYear) {
    const year = fundYear(fields.year);
    return year.ok ? ok({ bucketId: null, year: year.value }) : year;
  }
  const table = ctx.columns.bucket?.codes;
  const id = table ? translateCode(fields.bucket!, ctx.codes[table] ?? {}, 'bucket') : ok(cleanCell(fields.bucket!));
  if (!id.ok) return id;
  return BUCKET_ID.test(id.value) ? ok({ bucketId: id.value, year: null }) : fail({ code: 'fund.bucket', detail: String(fields.bucket) });
}

export const fundPositionRecord: RecordKind = {
  entity: 'fund_position',
  requiredFields: ['surplus'],
  amountFields: AMOUNT_FIELDS,
  keyFields: ['city_code', 'bucket', 'year'],
  normalize(fields: Fields, ctx: NormalizeContext): RowResult {
    if (isTotalLabel(fields.bucket) || isTotalLabel(fields.year)) return { kind: 'skipped', code: 'skip.subtotal' };
    const c = new RuleCollector();
    const cityCode = c.value('city_code', fundCity(fields, ctx));
    const period = c.value('period', fundPeriod(fields, ctx));
    const basis = c.value('basis', fundBasis(fields, ctx));
    const surplus = fundAmount(c, fields, ctx, 'surplus');
    const reserve = fundAmount(c, fields, ctx, 'reserve', true);
    const cityAdjustmentFund = fundAmount(c, fields, ctx, 'city_adjustment_fund', true);
    if (surplus !== undefined && reserve !== undefined && cityAdjustmentFund !== undefined && BigInt(reserve) + BigInt(cityAdjustmentFund) > BigInt(surplus)) {
      // 其中 parts are inside the surplus: together they cannot be larger than it
      c.reasons.push({ code: 'fund.of_which_exceeds_surplus', field: 'reserve', detail: `${reserve} + ${cityAdjustmentFund} > ${surplus} fen` });
    }
    if (c.failed || !cityCode || !period || !basis || surplus === undefined || reserve === undefined || cityAdjustmentFund === undefined) {
      return { kind: 'rejected', reasons: c.reasons, normalized: c.normalized, warnings: c.warnings };
    }
    const periodText = period.bucketId ?? String(period.year);
    const payload = {
      city_code: cityCode,
      period: periodText,
      bucket_id: period.bucketId,
      year: period.year,
      basis,
      surplus_fen: surplus,
      reserve_fen: reserve,
      city_adjustment_fund_fen: cityAdjustmentFund,
      unit: recordUnit(ctx, AMOUNT_FIELDS),
    };
    const keyPeriod = period.bucketId ?? `year-${period.year}`;
    return {
      kind: 'record',
      parts: [{ entity: 'fund_position', naturalKey: `${cityCode}:${keyPeriod}:${basis}`, payload, refs: [] }],
      warnings: c.warnings,
      updatedAt: null,
    };
  },
};

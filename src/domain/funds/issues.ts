/**
 * Why a fund computation refused its input. Fund inputs come from city data (fund positions,
 * yearly flows, finance receipts), so problems there are values a steward can act on, never
 * exceptions. The shape follows `Reason` of the normalization rules, plus the locators that
 * matter for funds (city, bucket, year, receipt).
 */
import { type Reason } from '../rules/result';

export type FundReasonCode =
  | 'fund.position.bad_city_code'
  | 'fund.position.duplicate_city'
  | 'fund.position.duplicate_bucket'
  | 'fund.position.unknown_bucket'
  | 'fund.position.missing_bucket'
  | 'fund.position.negative_bucket'
  | 'fund.position.negative_of_which'
  | 'fund.position.of_which_exceeds_surplus'
  | 'fund.position.negative_surplus'
  | 'fund.position.year_outside_buckets'
  | 'fund.position.mixed_periods'
  | 'fund.flow.unknown_city'
  | 'fund.flow.duplicate'
  | 'fund.flow.missing'
  | 'fund.flow.bad_year'
  | 'fund.flow.before_switch_over'
  | 'fund.flow.negative_amount'
  | 'fund.receipt.non_positive_amount'
  | 'fund.receipt.bad_date'
  | 'fund.receipt.unknown_installment'
  | 'fund.receipt.conflicting_duplicate';

export interface FundReason extends Reason {
  code: FundReasonCode;
  cityCode?: string;
  bucketId?: string;
  year?: number;
  receiptId?: string;
}

export type FundResult<T> = { ok: true; value: T } | { ok: false; reasons: FundReason[] };

export const fundOk = <T>(value: T): FundResult<T> => ({ ok: true, value });
export const fundFail = (reasons: FundReason[]): FundResult<never> => ({ ok: false, reasons });

/** GB/T 2260 division code of a former pooling area (city level). */
export const DIVISION_CODE_RE = /^\d{6}$/;

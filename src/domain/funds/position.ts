/**
 * A former pooling area's fund position at the switch-over (原结余基金), as it arrives through the
 * mapping pipeline: the accumulated surplus in period buckets whose sum is the whole surplus, and
 * the "of which" (其中) parts — the city reserve (储备金) and the city adjustment fund (市级调剂金) —
 * which are inside that sum, not extra money.
 */
import { DIVISION_CODE_RE, type FundReason } from './issues';
import { sumFen } from './order';

export interface PositionBucket {
  bucketId: string;
  amountFen: bigint;
}

export interface CityFundPosition {
  /** GB/T 2260 code of the former pooling area */
  cityCode: string;
  buckets: readonly PositionBucket[];
  /** 储备金, of which (inside the bucket sum) */
  reserveFen: bigint;
  /** 市级调剂金, of which (inside the bucket sum) */
  cityAdjustmentFundFen: bigint;
}

/** The whole accumulated surplus: the sum of the buckets. The "of which" parts are never added. */
export const surplusOf = (position: CityFundPosition): bigint =>
  sumFen(position.buckets.map((b) => b.amountFen));

/**
 * Checks shared by both models: a real division code, each bucket once, "of which" parts neither
 * negative nor together larger than the surplus they are part of.
 */
export function checkPosition(position: CityFundPosition): FundReason[] {
  const { cityCode } = position;
  const reasons: FundReason[] = [];
  if (!DIVISION_CODE_RE.test(cityCode)) {
    reasons.push({ code: 'fund.position.bad_city_code', cityCode, detail: `not a 6-digit division code: ${JSON.stringify(cityCode)}` });
  }
  const seen = new Set<string>();
  for (const { bucketId } of position.buckets) {
    if (seen.has(bucketId)) reasons.push({ code: 'fund.position.duplicate_bucket', cityCode, bucketId, detail: `bucket ${bucketId} given twice` });
    seen.add(bucketId);
  }
  const { reserveFen, cityAdjustmentFundFen } = position;
  const ofWhich = reserveFen + cityAdjustmentFundFen;
  if (reserveFen < 0n || cityAdjustmentFundFen < 0n) {
    reasons.push({ code: 'fund.position.negative_of_which', cityCode, detail: `reserve ${reserveFen}, city adjustment fund ${cityAdjustmentFundFen}` });
  } else if (ofWhich > 0n && ofWhich > surplusOf(position)) {
    // with no "of which" parts, a negative surplus is for each model's own checks to judge
    reasons.push({
      code: 'fund.position.of_which_exceeds_surplus',
      cityCode,
      detail: `reserve ${reserveFen} + city adjustment fund ${cityAdjustmentFundFen} > surplus ${surplusOf(position)}`,
    });
  }
  return reasons;
}

/** Reasons for every city code that appears more than once in a list of positions. */
export function checkUniqueCities(positions: readonly CityFundPosition[]): FundReason[] {
  const seen = new Set<string>();
  const reasons: FundReason[] = [];
  for (const { cityCode } of positions) {
    if (seen.has(cityCode)) reasons.push({ code: 'fund.position.duplicate_city', cityCode, detail: `two positions for ${cityCode}` });
    seen.add(cityCode);
  }
  return reasons;
}

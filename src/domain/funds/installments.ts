/**
 * Unified model (统收统支): each city's original surplus is remitted to the province by period
 * bucket, in installments (分期分批上解) — fund-rules.md, "Model unified".
 */
import { applyRatio, compare, parseDecimal, ratio } from '../decimal';
import { dueDates, type Every } from './due-dates';
import { compareText, sumFen } from './order';
import { fundFail, fundOk, type FundReason, type FundResult } from './issues';
import { type PolicyBucket, type UnifiedFundPolicy } from './policy';
import { checkPosition, surplusOf, type CityFundPosition } from './position';

export interface Installment {
  /** 1-based, in due-date order */
  number: number;
  dueDate: string;
  amountFen: bigint;
}

export interface InstallmentSchedule {
  /** round_half_up(bucket amount × share) */
  totalFen: bigint;
  installments: Installment[];
}

/**
 * Splits `round_half_up(bucketAmountFen × share)` into `n` installments: `floor(total / n)` each,
 * and the remainder fen one each to the earliest installments, so they add up to the total
 * exactly and differ by at most one fen. Due dates step from `firstDue` by calendar months with
 * month-end clamping (see due-dates.ts). Throws RangeError on arguments no valid policy or
 * position produces (a negative amount, a share outside 0..1, n < 1, a bad date).
 */
export function planInstallments(
  bucketAmountFen: bigint,
  share: string,
  n: number,
  firstDue: string,
  every: Every,
): InstallmentSchedule {
  if (bucketAmountFen < 0n) throw new RangeError(`bucket amount is negative: ${bucketAmountFen}`);
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`installment count must be a positive integer: ${n}`);
  const shareRatio = parseDecimal(share);
  if (compare(shareRatio, ratio(0n)) < 0 || compare(shareRatio, ratio(1n)) > 0) {
    throw new RangeError(`share must be between 0 and 1: ${share}`);
  }
  const totalFen = applyRatio(bucketAmountFen, shareRatio);
  const count = BigInt(n);
  const base = totalFen / count;
  const remainder = totalFen % count;
  const installments = dueDates(firstDue, n, every).map((dueDate, i) => ({
    number: i + 1,
    dueDate,
    amountFen: base + (BigInt(i) < remainder ? 1n : 0n),
  }));
  return { totalFen, installments };
}

/** One bucket's remittance, with the inputs it was computed from. */
export interface BucketRemittance {
  bucketId: string;
  label: string;
  from?: string;
  to?: string;
  amountFen: bigint;
  share: string;
  installmentCount: number;
  firstDue: string;
  every: Every;
  totalFen: bigint;
  installments: Installment[];
}

/** A plan installment: numbered across the whole city plan, the key finance receipts quote. */
export interface PlanInstallment extends Installment {
  planId: string;
  bucketId: string;
  /** the installment's number within its bucket's schedule */
  bucketInstallmentNumber: number;
}

/**
 * One city's remittance plan (上解计划) under one policy version. Carries no computed-at stamp:
 * the same inputs give a deep-equal plan, and the persistence layer stamps the first computation.
 */
export interface RemittancePlan {
  planId: string;
  cityCode: string;
  policyVersion: string;
  switchOver: string;
  /** 原结余基金: the sum of the buckets */
  surplusFen: bigint;
  /** "of which" parts, carried for the record; already inside surplusFen */
  ofWhichReserveFen: bigint;
  ofWhichCityAdjustmentFundFen: bigint;
  /** Σ bucket totals: what the city remits */
  remittedFen: bigint;
  /** surplus − remitted: what stays with the city as working balance */
  retainedFen: bigint;
  buckets: BucketRemittance[];
  /** every bucket's installments, by due date, then bucket order, numbered 1…N */
  installments: PlanInstallment[];
}

/** The natural key of a plan: city and plan version (= policy version). */
export const remittancePlanId = (cityCode: string, policyVersion: string): string => `remit:${cityCode}:${policyVersion}`;

/**
 * Builds a city's plan from its fund position and a unified policy. The position must give
 * exactly the policy's buckets, none negative; otherwise the reasons come back instead.
 */
export function planCityRemittance(position: CityFundPosition, policy: UnifiedFundPolicy): FundResult<RemittancePlan> {
  const reasons = [...checkPosition(position), ...checkBucketsAgainstPolicy(position, policy.buckets)];
  if (reasons.length > 0) return fundFail(reasons);

  const { cityCode } = position;
  const planId = remittancePlanId(cityCode, policy.version);
  const amountOf = new Map(position.buckets.map((b) => [b.bucketId, b.amountFen]));
  const buckets = policy.buckets.map((bucket): BucketRemittance => {
    const amountFen = amountOf.get(bucket.id) ?? 0n; // present: checked above
    const schedule = planInstallments(amountFen, bucket.share, bucket.installments, bucket.first_due, bucket.every);
    return {
      bucketId: bucket.id,
      label: bucket.label,
      ...(bucket.from !== undefined && { from: bucket.from }),
      ...(bucket.to !== undefined && { to: bucket.to }),
      amountFen,
      share: bucket.share,
      installmentCount: bucket.installments,
      firstDue: bucket.first_due,
      every: bucket.every,
      ...schedule,
    };
  });

  const installments = buckets
    .flatMap((b, bucketIndex) => b.installments.map((inst) => ({ bucketIndex, bucketId: b.bucketId, inst })))
    .sort((x, y) => compareText(x.inst.dueDate, y.inst.dueDate) || x.bucketIndex - y.bucketIndex || x.inst.number - y.inst.number)
    .map(({ bucketId, inst }, i): PlanInstallment => ({
      planId,
      number: i + 1,
      bucketId,
      bucketInstallmentNumber: inst.number,
      dueDate: inst.dueDate,
      amountFen: inst.amountFen,
    }));

  const surplusFen = surplusOf(position);
  const remittedFen = sumFen(buckets.map((b) => b.totalFen));
  return fundOk({
    planId,
    cityCode,
    policyVersion: policy.version,
    switchOver: policy.switch_over,
    surplusFen,
    ofWhichReserveFen: position.reserveFen,
    ofWhichCityAdjustmentFundFen: position.cityAdjustmentFundFen,
    remittedFen,
    retainedFen: surplusFen - remittedFen,
    buckets,
    installments,
  });
}

/** The position must carry exactly the policy's buckets, none negative (nothing to remit from a loss). */
function checkBucketsAgainstPolicy(position: CityFundPosition, policyBuckets: readonly PolicyBucket[]): FundReason[] {
  const { cityCode } = position;
  const known = new Set(policyBuckets.map((b) => b.id));
  const given = new Set(position.buckets.map((b) => b.bucketId));
  const reasons: FundReason[] = [];
  for (const { bucketId, amountFen } of position.buckets) {
    if (!known.has(bucketId)) reasons.push({ code: 'fund.position.unknown_bucket', cityCode, bucketId, detail: `the policy has no bucket ${bucketId}` });
    else if (amountFen < 0n) reasons.push({ code: 'fund.position.negative_bucket', cityCode, bucketId, detail: `amount ${amountFen}` });
  }
  for (const { id } of policyBuckets) {
    if (!given.has(id)) reasons.push({ code: 'fund.position.missing_bucket', cityCode, bucketId: id, detail: `no amount for bucket ${id}` });
  }
  return reasons;
}

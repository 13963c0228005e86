/**
 * From the city fund records loaded by the pipeline (province.city_fund_position and
 * city_fund_year) to the inputs of the fund rules: one position per city and one flow per
 * city-year, each from one basis of figures — the final accounts (决算) where the city has
 * them, otherwise its budget (预算) — and each keeping the natural keys of the records it used.
 */
import { type CityYearFlow } from './adjustment';
import { type FundReason } from './issues';
import { compareText } from './order';
import { type PolicyBucket } from './policy';
import { type CityFundPosition } from './position';

export type FundBasis = 'final_accounts' | 'budget';

/** A city_fund_position record: a bucket's surplus, or a year's when the city reports by year. */
export interface PositionRecord {
  naturalKey: string;
  cityCode: string;
  bucketId: string | null;
  year: number | null;
  basis: FundBasis;
  surplusFen: bigint;
  reserveFen: bigint;
  cityAdjustmentFundFen: bigint;
}

export interface FlowRecord {
  naturalKey: string;
  cityCode: string;
  year: number;
  basis: FundBasis;
  contributionIncomeFen: bigint;
  otherIncomeFen: bigint;
  expenditureFen: bigint;
}

export interface SourcedPosition extends CityFundPosition {
  basis: FundBasis;
  /** natural keys of the records summed into the position */
  sources: string[];
}

export interface SourcedFlow extends CityYearFlow {
  basis: FundBasis;
  source: string;
}

/** Final accounts when any record of the group has them, otherwise the budget. */
function preferredBasis(records: readonly { basis: FundBasis }[]): FundBasis {
  return records.some((r) => r.basis === 'final_accounts') ? 'final_accounts' : 'budget';
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return new Map([...groups].sort(([a], [b]) => compareText(a, b)));
}

/** The policy bucket a whole year of accrual falls in, if one does. */
function bucketOfYear(year: number, buckets: readonly PolicyBucket[]): string | undefined {
  const first = `${String(year).padStart(4, '0')}-01-01`;
  const last = `${String(year).padStart(4, '0')}-12-31`;
  return buckets.find((b) => (b.from === undefined || b.from <= first) && (b.to === undefined || b.to >= last))?.id;
}

/**
 * One position per city. With the policy's buckets (unified model), a year's record goes into
 * the bucket whose period holds that whole year; without them (adjustment model, where only the
 * sum counts) each year stays its own bucket. A bucket fed both directly and by years would
 * count the same money twice, so it is refused.
 */
export function cityPositions(records: readonly PositionRecord[], buckets?: readonly PolicyBucket[]): { positions: SourcedPosition[]; reasons: FundReason[] } {
  const positions: SourcedPosition[] = [];
  const reasons: FundReason[] = [];
  for (const [cityCode, all] of groupBy(records, (r) => r.cityCode)) {
    const basis = preferredBasis(all);
    const used = all.filter((r) => r.basis === basis).sort((a, b) => compareText(a.naturalKey, b.naturalKey));
    const amounts = new Map<string, bigint>();
    const direct = new Set<string>();
    const byYear = new Set<string>();
    let ok = true;
    for (const r of used) {
      let bucketId = r.bucketId;
      if (bucketId === null) {
        bucketId = buckets ? (bucketOfYear(r.year!, buckets) ?? null) : `year-${r.year}`;
        if (bucketId === null) {
          reasons.push({ code: 'fund.position.year_outside_buckets', cityCode, detail: `${r.year} is not wholly inside one policy bucket (${r.naturalKey})` });
          ok = false;
          continue;
        }
        byYear.add(bucketId);
      } else direct.add(bucketId);
      amounts.set(bucketId, (amounts.get(bucketId) ?? 0n) + r.surplusFen);
    }
    for (const bucketId of direct) {
      if (byYear.has(bucketId)) {
        reasons.push({ code: 'fund.position.mixed_periods', cityCode, bucketId, detail: `bucket ${bucketId} is given both as a whole and by years` });
        ok = false;
      }
    }
    if (!ok) continue;
    positions.push({
      cityCode,
      basis,
      buckets: [...amounts].map(([bucketId, amountFen]) => ({ bucketId, amountFen })),
      reserveFen: used.reduce((s, r) => s + r.reserveFen, 0n),
      cityAdjustmentFundFen: used.reduce((s, r) => s + r.cityAdjustmentFundFen, 0n),
      sources: used.map((r) => r.naturalKey),
    });
  }
  return { positions, reasons };
}

/** One flow per city and year from `fromYear` on (earlier years predate the switch-over). */
export function cityFlows(records: readonly FlowRecord[], fromYear: number): SourcedFlow[] {
  const flows: SourcedFlow[] = [];
  for (const group of groupBy(records.filter((r) => r.year >= fromYear), (r) => `${r.cityCode}/${r.year}`).values()) {
    const r = group.find((g) => g.basis === preferredBasis(group))!;
    flows.push({
      cityCode: r.cityCode,
      year: r.year,
      contributionIncomeFen: r.contributionIncomeFen,
      otherIncomeFen: r.otherIncomeFen,
      expenditureFen: r.expenditureFen,
      basis: r.basis,
      source: r.naturalKey,
    });
  }
  return flows;
}

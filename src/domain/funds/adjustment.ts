/**
 * Adjustment model (省级调剂金): cities keep their funds and remit a ratio of contribution income
 * to a provincial adjustment fund, which covers city deficits after their own surplus —
 * fund-rules.md, "Model adjustment".
 */
import { applyRatio, parseDecimal } from '../decimal';
import { fundFail, fundOk, type FundReason, type FundResult } from './issues';
import { ratioForCity, type AdjustmentFundPolicy } from './policy';
import { compareText, sumFen } from './order';
import { allocateProRata } from './pro-rata';
import { checkPosition, checkUniqueCities, surplusOf, type CityFundPosition, type PositionBucket } from './position';

export { allocateProRata, type Claim } from './pro-rata';

/** A city's fund flows in one fiscal year after the switch-over. */
export interface CityYearFlow {
  cityCode: string;
  year: number;
  contributionIncomeFen: bigint;
  otherIncomeFen: bigint;
  expenditureFen: bigint;
}

export interface AdjustmentInput {
  policy: AdjustmentFundPolicy;
  /** each city's position at the switch-over */
  positions: readonly CityFundPosition[];
  /** one flow per city and year, for every year from the first to the last given */
  flows: readonly CityYearFlow[];
}

/**
 * A city at the switch-over: the reserve and the city adjustment fund are merged into the local
 * accumulated surplus — they are "of which" parts already inside the bucket sum, so the merge
 * adds nothing; the city simply keeps no separate reserve afterwards.
 */
export interface CityOpening {
  cityCode: string;
  buckets: PositionBucket[];
  /** Σ buckets: the local accumulated surplus the city starts with */
  openingSurplusFen: bigint;
  /** merged, already inside openingSurplusFen */
  mergedReserveFen: bigint;
  /** merged, already inside openingSurplusFen */
  mergedCityAdjustmentFundFen: bigint;
}

/** One city-year with every figure and the inputs it came from (deficit coverage, 缺口弥补). */
export interface CityYearCoverage {
  year: number;
  cityCode: string;
  policyVersion: string;
  contributionIncomeFen: bigint;
  otherIncomeFen: bigint;
  expenditureFen: bigint;
  /** the remittance ratio applied, and whether it is the city's own or the province-wide one */
  ratio: string;
  ratioSource: 'city' | 'province';
  /** round_half_up(contribution income × ratio), credited to the fund */
  remittanceFen: bigint;
  /** contribution + other − expenditure − remittance */
  balanceFen: bigint;
  surplusOpeningFen: bigint;
  /** a positive balance, added to the accumulated surplus */
  addedToSurplusFen: bigint;
  /** a negative balance, as a positive amount */
  gapFen: bigint;
  /** step 1: from the city's own accumulated surplus */
  fromOwnSurplusFen: bigint;
  /** what remains after step 1: the city's claim on the adjustment fund */
  openGapFen: bigint;
  /** step 2: from the provincial adjustment fund (pro rata when it cannot cover every claim) */
  fromAdjustmentFundFen: bigint;
  /** step 3: still open, shared between province and city (缺口分担) */
  sharedGapFen: bigint;
  gapShareProvince: string;
  /** round_half_up(shared gap × gap_share_province) */
  sharedGapProvinceFen: bigint;
  sharedGapCityFen: bigint;
  surplusClosingFen: bigint;
}

/** The adjustment fund (调剂金) in one year. */
export interface FundYear {
  year: number;
  openingFen: bigint;
  /** all cities' remittances of the year, credited before any gap is covered */
  remittancesFen: bigint;
  /** opening + remittances: what the fund can pay out this year */
  availableFen: bigint;
  /** Σ open gaps after the cities' own surplus */
  claimsFen: bigint;
  disbursedFen: bigint;
  /** true when the claims exceeded what was available and were shared pro rata */
  proRata: boolean;
  closingFen: bigint;
}

/**
 * The result of a run. Carries no computed-at stamp: the same inputs give a deep-equal run
 * whatever the input order, and the persistence layer stamps the first computation.
 */
export interface AdjustmentRun {
  policyVersion: string;
  switchOver: string;
  openingFundFen: bigint;
  openings: CityOpening[];
  /** by year, then division code */
  rows: CityYearCoverage[];
  /** by year */
  fund: FundYear[];
}

/** Runs every year of the adjustment model, or returns why the inputs cannot be run. */
export function runAdjustmentYears(input: AdjustmentInput): FundResult<AdjustmentRun> {
  const { policy } = input;
  const positions = [...input.positions].sort((a, b) => compareText(a.cityCode, b.cityCode));
  const reasons = [...checkPositions(positions), ...checkFlows(input.flows, positions, policy.switch_over)];
  if (reasons.length > 0) return fundFail(reasons);

  const flowOf = new Map(input.flows.map((f) => [flowKey(f.cityCode, f.year), f]));
  const surplus = new Map(positions.map((p) => [p.cityCode, surplusOf(p)]));
  const gapShare = parseDecimal(policy.gap_share_province);
  const rows: CityYearCoverage[] = [];
  const fund: FundYear[] = [];
  let fundFen = policy.opening_balance_fen;

  for (const year of yearRange(input.flows)) {
    // Credit every city's remittance first, and take each gap as far as the city's own surplus goes.
    const lines = positions.map(({ cityCode }) => {
      const flow = flowOf.get(flowKey(cityCode, year))!; // present: checked above
      const { ratio, source } = ratioForCity(policy, cityCode);
      const remittanceFen = applyRatio(flow.contributionIncomeFen, parseDecimal(ratio));
      const balanceFen = flow.contributionIncomeFen + flow.otherIncomeFen - flow.expenditureFen - remittanceFen;
      const surplusOpeningFen = surplus.get(cityCode)!;
      const addedToSurplusFen = balanceFen > 0n ? balanceFen : 0n;
      const gapFen = balanceFen < 0n ? -balanceFen : 0n;
      const fromOwnSurplusFen = min(gapFen, surplusOpeningFen);
      return {
        flow, ratio, source, remittanceFen, balanceFen, surplusOpeningFen, addedToSurplusFen, gapFen, fromOwnSurplusFen,
        openGapFen: gapFen - fromOwnSurplusFen,
      };
    });

    const remittancesFen = sumFen(lines.map((l) => l.remittanceFen));
    const availableFen = fundFen + remittancesFen;
    const claims = lines.filter((l) => l.openGapFen > 0n).map((l) => ({ key: l.flow.cityCode, fen: l.openGapFen }));
    const claimsFen = sumFen(claims.map((c) => c.fen));
    const fromFund = new Map(allocateProRata(availableFen, claims).map((a) => [a.key, a.fen]));
    const disbursedFen = sumFen([...fromFund.values()]);
    fundFen = availableFen - disbursedFen;
    fund.push({ year, openingFen: availableFen - remittancesFen, remittancesFen, availableFen, claimsFen, disbursedFen, proRata: claimsFen > availableFen, closingFen: fundFen });

    for (const line of lines) {
      const { flow } = line;
      const fromAdjustmentFundFen = fromFund.get(flow.cityCode) ?? 0n;
      const sharedGapFen = line.openGapFen - fromAdjustmentFundFen;
      const sharedGapProvinceFen = applyRatio(sharedGapFen, gapShare);
      const surplusClosingFen = line.surplusOpeningFen + line.addedToSurplusFen - line.fromOwnSurplusFen;
      surplus.set(flow.cityCode, surplusClosingFen);
      rows.push({
        year,
        cityCode: flow.cityCode,
        policyVersion: policy.version,
        contributionIncomeFen: flow.contributionIncomeFen,
        otherIncomeFen: flow.otherIncomeFen,
        expenditureFen: flow.expenditureFen,
        ratio: line.ratio,
        ratioSource: line.source,
        remittanceFen: line.remittanceFen,
        balanceFen: line.balanceFen,
        surplusOpeningFen: line.surplusOpeningFen,
        addedToSurplusFen: line.addedToSurplusFen,
        gapFen: line.gapFen,
        fromOwnSurplusFen: line.fromOwnSurplusFen,
        openGapFen: line.openGapFen,
        fromAdjustmentFundFen,
        sharedGapFen,
        gapShareProvince: policy.gap_share_province,
        sharedGapProvinceFen,
        sharedGapCityFen: sharedGapFen - sharedGapProvinceFen,
        surplusClosingFen,
      });
    }
  }

  return fundOk({
    policyVersion: policy.version,
    switchOver: policy.switch_over,
    openingFundFen: policy.opening_balance_fen,
    openings: positions.map((p) => ({
      cityCode: p.cityCode,
      buckets: p.buckets.map(({ bucketId, amountFen }) => ({ bucketId, amountFen })),
      openingSurplusFen: surplusOf(p),
      mergedReserveFen: p.reserveFen,
      mergedCityAdjustmentFundFen: p.cityAdjustmentFundFen,
    })),
    rows,
    fund,
  });
}

const flowKey = (cityCode: string, year: number): string => `${cityCode}/${year}`;
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** Every year from the first to the last flow (a year nobody reported is a missing flow, not a skip). */
function yearRange(flows: readonly CityYearFlow[]): number[] {
  if (flows.length === 0) return [];
  // reduce, not Math.min(...years): a province's flows can outgrow the argument limit
  const first = flows.reduce((m, f) => Math.min(m, f.year), Infinity);
  const last = flows.reduce((m, f) => Math.max(m, f.year), -Infinity);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** A city may not start in debt: step 1 covers gaps "up to what it holds", never below zero. */
function checkPositions(positions: readonly CityFundPosition[]): FundReason[] {
  return [
    ...checkUniqueCities(positions),
    ...positions.flatMap((p) => {
      const own = checkPosition(p);
      const total = surplusOf(p);
      if (total < 0n) own.push({ code: 'fund.position.negative_surplus', cityCode: p.cityCode, detail: `accumulated surplus ${total}` });
      return own;
    }),
  ];
}

function checkFlows(flows: readonly CityYearFlow[], positions: readonly CityFundPosition[], switchOver: string): FundReason[] {
  const cities = new Set(positions.map((p) => p.cityCode));
  const switchOverYear = Number(switchOver.slice(0, 4));
  const reasons: FundReason[] = [];
  const seen = new Set<string>();
  for (const f of flows) {
    const { cityCode, year } = f;
    if (!Number.isInteger(year) || year < 1 || year > 9999) {
      reasons.push({ code: 'fund.flow.bad_year', cityCode, detail: `not a year: ${year}` });
      continue;
    }
    if (!cities.has(cityCode)) reasons.push({ code: 'fund.flow.unknown_city', cityCode, year, detail: `no fund position for ${cityCode}` });
    if (year < switchOverYear) reasons.push({ code: 'fund.flow.before_switch_over', cityCode, year, detail: `switch-over is ${switchOver}` });
    if (seen.has(flowKey(cityCode, year))) reasons.push({ code: 'fund.flow.duplicate', cityCode, year, detail: `two flows for ${cityCode} in ${year}` });
    seen.add(flowKey(cityCode, year));
    if (f.contributionIncomeFen < 0n || f.otherIncomeFen < 0n || f.expenditureFen < 0n) {
      reasons.push({
        code: 'fund.flow.negative_amount',
        cityCode,
        year,
        detail: `contribution ${f.contributionIncomeFen}, other ${f.otherIncomeFen}, expenditure ${f.expenditureFen}`,
      });
    }
  }
  if (reasons.length > 0) return reasons;
  for (const year of yearRange(flows)) {
    for (const cityCode of cities) {
      if (!seen.has(flowKey(cityCode, year))) reasons.push({ code: 'fund.flow.missing', cityCode, year, detail: `no flow for ${cityCode} in ${year}` });
    }
  }
  return reasons;
}

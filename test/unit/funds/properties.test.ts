/**
 * Property tests over seeded random inputs (support.ts's Rng). A failure names its seed and case,
 * so it can be replayed. The oracles here are written independently of the code under test.
 */
import {
  allocateProRata,
  planInstallments,
  runAdjustmentYears,
  type AdjustmentFundPolicy,
  type AdjustmentInput,
  type CityFundPosition,
  type CityYearFlow,
  type Every,
} from '../../../src/domain/funds';
import { Rng, valueOf } from './support';

const SEED = 20240601;
const CASES = 400;

/** round_half_up(amount × decimal) for amount ≥ 0, by schoolbook integer arithmetic. */
function oracleApply(amount: bigint, decimal: string): bigint {
  const [int = '0', frac = ''] = decimal.split('.');
  const den = 10n ** BigInt(frac.length);
  return (2n * amount * BigInt(int + frac) + den) / (2n * den);
}

/** Days in a month by the JS calendar (an independent check of the clamping). */
const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
const ymd = (y: number, m: number, d: number): string => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function forEachCase(label: string, body: (rng: Rng, i: number) => void): void {
  const rng = new Rng(SEED);
  for (let i = 0; i < CASES; i++) {
    try {
      body(rng, i);
    } catch (e) {
      throw new Error(`${label}: seed ${SEED}, case ${i}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

describe('installment plans (property)', () => {
  it('add up to round_half_up(amount × share), differ by at most one fen, earliest first, on clamped calendar dates', () => {
    forEachCase('installments', (rng) => {
      const amount = rng.fen(16);
      const share = rng.fraction(6);
      const n = rng.int(1, 60);
      const [y, m] = [rng.int(1990, 2080), rng.int(1, 12)];
      const anchorDay = rng.int(1, daysIn(y, m));
      const every = rng.pick<Every>(['year', 'quarter', 'month']);
      const { totalFen, installments } = planInstallments(amount, share, n, ymd(y, m, anchorDay), every);

      expect(totalFen).toBe(oracleApply(amount, share));
      expect(installments).toHaveLength(n);
      expect(installments.reduce((s, i) => s + i.amountFen, 0n)).toBe(totalFen);
      const amounts = installments.map((i) => i.amountFen);
      const [lo, hi] = [amounts.reduce((a, b) => (a < b ? a : b)), amounts.reduce((a, b) => (a > b ? a : b))];
      expect(hi - lo <= 1n).toBe(true);
      amounts.forEach((a, i) => i > 0 && expect(a <= amounts[i - 1]!).toBe(true));

      const step = { year: 12, quarter: 3, month: 1 }[every];
      installments.forEach((inst, i) => {
        const index = y * 12 + (m - 1) + i * step;
        const [ty, tm] = [Math.floor(index / 12), (index % 12) + 1];
        expect(inst).toMatchObject({ number: i + 1, dueDate: ymd(ty, tm, Math.min(anchorDay, daysIn(ty, tm))) });
      });
    });
  });
});

describe('pro-rata allocation (property)', () => {
  it('adds up exactly to what the fund holds (or the claims), never exceeds a claim, and follows largest remainder', () => {
    forEachCase('pro rata', (rng) => {
      const keys = rng.shuffle(Array.from({ length: 40 }, (_, i) => String(430100 + i * 100))).slice(0, rng.int(0, 8));
      // one case in three draws claims from three values, so equal remainders (ties) occur
      const pool = rng.int(0, 2) === 0 ? [rng.fen(4), rng.fen(4), rng.fen(4)] : undefined;
      const claims = keys.map((key) => ({ key, fen: pool ? rng.pick(pool) : rng.int(0, 4) === 0 ? 0n : rng.fen(12) }));
      const claimed = claims.reduce((s, c) => s + c.fen, 0n);
      const total = rng.int(0, 5) === 0 ? claimed + rng.fen(6) : (claimed * BigInt(rng.int(0, 1000))) / 1000n;
      const shares = allocateProRata(total, claims);

      expect(shares.map((s) => s.key)).toEqual(keys);
      expect(shares.reduce((s, a) => s + a.fen, 0n)).toBe(total < claimed ? total : claimed);
      shares.forEach((s, i) => expect(s.fen >= 0n && s.fen <= claims[i]!.fen).toBe(true));
      if (total < claimed) {
        // each share is the floor of the exact share or one fen more …
        const exact = claims.map((c) => ({ key: c.key, floor: (total * c.fen) / claimed, rem: (total * c.fen) % claimed }));
        shares.forEach((s, i) => expect([exact[i]!.floor, exact[i]!.floor + 1n]).toContain(s.fen));
        // … and nobody who got the extra fen ranks below somebody who did not
        const ranked = (a: (typeof exact)[number], b: (typeof exact)[number]): boolean => a.rem > b.rem || (a.rem === b.rem && a.key < b.key);
        const up = exact.filter((_, i) => shares[i]!.fen > exact[i]!.floor);
        const down = exact.filter((_, i) => shares[i]!.fen === exact[i]!.floor);
        for (const u of up) for (const d of down) expect(ranked(u, d)).toBe(true);
      }
      // the order of the claims does not matter
      const again = new Map(allocateProRata(total, rng.shuffle(claims)).map((s) => [s.key, s.fen]));
      expect(shares.map((s) => again.get(s.key))).toEqual(shares.map((s) => s.fen));
    });
  });
});

function randomAdjustmentInput(rng: Rng): AdjustmentInput {
  const cities = rng.shuffle(['430100', '430200', '430300', '430400', '430500', '430600']).slice(0, rng.int(1, 6));
  const positions: CityFundPosition[] = cities.map((cityCode) => {
    const buckets = Array.from({ length: rng.int(1, 3) }, (_, i) => ({ bucketId: `b${i}`, amountFen: rng.fen(9) }));
    const surplus = buckets.reduce((s, b) => s + b.amountFen, 0n);
    const reserveFen = surplus / BigInt(rng.int(2, 10));
    return { cityCode, buckets, reserveFen, cityAdjustmentFundFen: (surplus - reserveFen) / BigInt(rng.int(2, 10)) };
  });
  const firstYear = rng.int(2021, 2024);
  const flows: CityYearFlow[] = [];
  for (let year = firstYear; year < firstYear + rng.int(1, 5); year++) {
    for (const cityCode of cities) {
      const contributionIncomeFen = rng.fen(9);
      flows.push({
        cityCode,
        year,
        contributionIncomeFen,
        otherIncomeFen: rng.fen(7),
        expenditureFen: (contributionIncomeFen * BigInt(rng.int(0, 200))) / 100n + rng.fen(6),
      });
    }
  }
  const policy: AdjustmentFundPolicy = {
    version: `v${rng.int(1, 9)}`,
    effective_from: '2021-01-01',
    model: 'adjustment',
    switch_over: '2021-01-01',
    ratio: rng.fraction(4),
    city_ratios: Object.fromEntries(cities.filter(() => rng.int(0, 2) === 0).map((c) => [c, rng.fraction(4)])),
    gap_share_province: rng.fraction(3),
    opening_balance_fen: rng.int(0, 1) === 0 ? 0n : rng.fen(8),
  };
  return { policy, positions, flows };
}

describe('adjustment-fund runs (property)', () => {
  it('cover every gap exactly, in order, and never drive a surplus or the fund below zero', () => {
    forEachCase('adjustment', (rng) => {
      const input = randomAdjustmentInput(rng);
      const run = valueOf(runAdjustmentYears(input));
      const { policy } = input;
      let fundFen = policy.opening_balance_fen;

      for (const fy of run.fund) {
        const rows = run.rows.filter((r) => r.year === fy.year);
        expect(fy.openingFen).toBe(fundFen);
        expect(fy.remittancesFen).toBe(rows.reduce((s, r) => s + r.remittanceFen, 0n));
        expect(fy.disbursedFen).toBe(rows.reduce((s, r) => s + r.fromAdjustmentFundFen, 0n));
        expect(fy.closingFen).toBe(fy.openingFen + fy.remittancesFen - fy.disbursedFen);
        expect(fy.closingFen >= 0n).toBe(true);
        expect(fy.proRata).toBe(fy.claimsFen > fy.availableFen);
        fundFen = fy.closingFen;

        for (const r of rows) {
          const ratio = policy.city_ratios[r.cityCode] ?? policy.ratio;
          expect(r.ratio).toBe(ratio);
          expect(r.remittanceFen).toBe(oracleApply(r.contributionIncomeFen, ratio));
          expect(r.balanceFen).toBe(r.contributionIncomeFen + r.otherIncomeFen - r.expenditureFen - r.remittanceFen);
          expect(r.gapFen - r.addedToSurplusFen).toBe(-r.balanceFen);
          expect(r.gapFen === 0n || r.addedToSurplusFen === 0n).toBe(true);
          // the three steps close the gap exactly
          expect(r.fromOwnSurplusFen + r.fromAdjustmentFundFen + r.sharedGapProvinceFen + r.sharedGapCityFen).toBe(r.gapFen);
          expect(r.sharedGapProvinceFen).toBe(oracleApply(r.sharedGapFen, policy.gap_share_province));
          // coverage never makes a balance negative
          expect(r.fromOwnSurplusFen <= r.surplusOpeningFen).toBe(true);
          expect(r.surplusClosingFen).toBe(r.surplusOpeningFen + r.addedToSurplusFen - r.fromOwnSurplusFen);
          expect(r.surplusClosingFen >= 0n && r.sharedGapCityFen >= 0n && r.fromAdjustmentFundFen <= r.openGapFen).toBe(true);
          // later steps only once the earlier ones are exhausted
          if (r.openGapFen > 0n) expect(r.surplusClosingFen).toBe(0n);
          if (r.sharedGapFen > 0n) expect(fy.closingFen).toBe(0n);
        }
      }
      const lastClosing = new Map(run.rows.map((r) => [r.cityCode, r.surplusClosingFen]));
      // conservation: what the cities and the fund hold at the end is what they started with plus the net flows
      const start = input.positions.reduce((s, p) => s + p.buckets.reduce((t, b) => t + b.amountFen, 0n), policy.opening_balance_fen);
      const net = run.rows.reduce((s, r) => s + r.contributionIncomeFen + r.otherIncomeFen - r.expenditureFen + r.sharedGapProvinceFen + r.sharedGapCityFen, 0n);
      const end = input.positions.reduce((s, p) => s + (lastClosing.get(p.cityCode) ?? 0n), fundFen);
      if (run.rows.length > 0) expect(end).toBe(start + net);
    });
  });

  it('is idempotent and independent of input order', () => {
    forEachCase('adjustment idempotence', (rng) => {
      const input = randomAdjustmentInput(rng);
      const first = runAdjustmentYears(input);
      expect(runAdjustmentYears(input)).toEqual(first);
      expect(runAdjustmentYears({ ...input, positions: rng.shuffle(input.positions), flows: rng.shuffle(input.flows) })).toEqual(first);
    });
  });
});

/** Shared by the fund tests: the sample policy files and a tiny seeded PRNG (no new dependency). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  parseFundPolicy,
  type AdjustmentFundPolicy,
  type CityFundPosition,
  type FundPolicy,
  type FundResult,
  type UnifiedFundPolicy,
} from '../../../src/domain/funds';

const policyDir = join(__dirname, '../../../mappings/province');

export function loadPolicyYaml(file: string): unknown {
  return parse(readFileSync(join(policyDir, file), 'utf8'));
}

/** A sample policy file from mappings/province, checked to be of the expected model. */
function samplePolicy<M extends FundPolicy['model']>(file: string, model: M): Extract<FundPolicy, { model: M }> {
  const policy = parseFundPolicy(loadPolicyYaml(file));
  if (policy.model !== model) throw new Error(`${file} is not a ${model} policy`);
  return policy as Extract<FundPolicy, { model: M }>;
}

export const unifiedSample = (): UnifiedFundPolicy => samplePolicy('fund-policy-unified.yaml', 'unified');
export const adjustmentSample = (): AdjustmentFundPolicy => samplePolicy('fund-policy-adjustment.yaml', 'adjustment');

export function position(cityCode: string, buckets: Record<string, bigint>, reserveFen = 0n, cityAdjustmentFundFen = 0n): CityFundPosition {
  return {
    cityCode,
    buckets: Object.entries(buckets).map(([bucketId, amountFen]) => ({ bucketId, amountFen })),
    reserveFen,
    cityAdjustmentFundFen,
  };
}

/** The value of an ok result; fails the test with the reasons otherwise. */
export function valueOf<T>(result: FundResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.reasons)}`);
  return result.value;
}

/** mulberry32: 32-bit state, good enough to spread test cases; the seed makes failures replayable. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** an integer in [lo, hi] */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** a bigint in [0, 10^digits), digits itself drawn so small and huge amounts both occur */
  fen(maxDigits: number): bigint {
    const digits = this.int(0, maxDigits);
    let value = 0n;
    for (let i = 0; i < digits; i++) value = value * 10n + BigInt(this.int(0, 9));
    return value;
  }

  /** a decimal string in [0, 1] with up to `places` fraction digits */
  fraction(places: number): string {
    if (this.int(0, 9) === 0) return this.int(0, 1) === 0 ? '0' : '1';
    const n = this.int(1, places);
    return '0.' + Array.from({ length: n }, () => String(this.int(0, 9))).join('');
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

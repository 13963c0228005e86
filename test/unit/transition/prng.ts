/** A small seeded PRNG for property tests (mulberry32): the same seed gives the same cases. */
export interface Prng {
  /** integer in [lo, hi] */
  int(lo: number, hi: number): number;
  /** bigint in [lo, hi] */
  big(lo: bigint, hi: bigint): bigint;
  pick<T>(items: readonly T[]): T;
}

export function prng(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  return {
    int,
    // Two 26-bit draws cover the amounts used here (well below 2^52 fen).
    big: (lo, hi) => lo + ((BigInt(int(0, 2 ** 26 - 1)) << 26n) + BigInt(int(0, 2 ** 26 - 1))) % (hi - lo + 1n),
    pick: (items) => {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
  };
}

/** A decimal string with `places` fraction digits for `units` × 10^−places ("0.0125"). */
export function decimalText(units: number, places: number): string {
  const digits = String(units).padStart(places + 1, '0');
  return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

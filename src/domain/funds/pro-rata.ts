/**
 * Sharing a sum that cannot meet every claim, in whole fen, by the largest-remainder method
 * (最大余额法) — how the provincial adjustment fund is shared among cities' open gaps.
 */
import { compareBigint, compareText, sumFen } from './order';

export interface Claim {
  /** who claims — for cities, the division code, which also breaks ties */
  key: string;
  fen: bigint;
}

/**
 * Allocates `totalFen` to `claims`. When the total meets every claim, each claim is paid in full.
 * Otherwise each gets the floor of its exact share `total × claim / Σ claims`, and the fen left
 * over go one each to the largest remainders, ties to the lower key (division codes have one
 * length, so text order is numeric order). The result, in the claims' order, adds up to
 * min(total, Σ claims) exactly and never exceeds a claim. Throws RangeError on negative amounts
 * or a repeated key — callers build claims from checked data.
 */
export function allocateProRata(totalFen: bigint, claims: readonly Claim[]): Claim[] {
  if (totalFen < 0n) throw new RangeError(`cannot share a negative total: ${totalFen}`);
  const keys = new Set<string>();
  for (const { key, fen } of claims) {
    if (fen < 0n) throw new RangeError(`claim ${key} is negative: ${fen}`);
    if (keys.has(key)) throw new RangeError(`claim ${key} given twice`);
    keys.add(key);
  }
  const claimed = sumFen(claims.map((c) => c.fen));
  if (totalFen >= claimed) return claims.map(({ key, fen }) => ({ key, fen }));

  // Exact share = total × claim / claimed; keep floor and remainder (numerator over `claimed`).
  const shares = claims.map(({ key, fen }, index) => {
    const numerator = totalFen * fen;
    return { key, index, fen: numerator / claimed, remainder: numerator % claimed };
  });
  let leftover = totalFen - sumFen(shares.map((s) => s.fen));
  // leftover < number of non-zero remainders (each lost fraction is < 1 and they sum to an
  // integer), so one fen each reaches only claims whose exact share was not whole.
  const byRemainder = [...shares].sort(
    (a, b) => compareBigint(b.remainder, a.remainder) || compareText(a.key, b.key),
  );
  for (const share of byRemainder) {
    if (leftover === 0n) break;
    share.fen += 1n;
    leftover -= 1n;
  }
  return shares.map(({ key, fen }) => ({ key, fen }));
}

/** Total orders used to make fund outputs independent of input order. */

/** Plain code-unit order: numeric order for same-length digit codes, date order for 'YYYY-MM-DD'. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const compareBigint = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

export const sumFen = (values: Iterable<bigint>): bigint => {
  let total = 0n;
  for (const v of values) total += v;
  return total;
};

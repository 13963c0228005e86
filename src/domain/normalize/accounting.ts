/**
 * What became of the rows of a sheet/table (normalization-rules.md: rows read = loaded + rejected +
 * skipped + duplicates merged), as the source report, the mapping check and the city and province
 * reports count them.
 */
export interface RowAccounting {
  read: number;
  loaded: number;
  rejected: number;
  skipped: number;
  /** exact duplicates merged plus rows superseded by a later version */
  duplicates: number;
  superseded: number;
  /** rejected rows by reason code (a row with two reasons counts under both) */
  byReason: Record<string, number>;
  bySkip: Record<string, number>;
  warnings: Record<string, number>;
}

export const emptyAccounting = (): RowAccounting => ({ read: 0, loaded: 0, rejected: 0, skipped: 0, duplicates: 0, superseded: 0, byReason: {}, bySkip: {}, warnings: {} });

const addCounts = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

/** Adds `b` into `a` (a city is the sum of its streams, a province of its cities). */
export function addAccounting(a: RowAccounting, b: RowAccounting): RowAccounting {
  a.read += b.read;
  a.loaded += b.loaded;
  a.rejected += b.rejected;
  a.skipped += b.skipped;
  a.duplicates += b.duplicates;
  a.superseded += b.superseded;
  addCounts(a.byReason, b.byReason);
  addCounts(a.bySkip, b.bySkip);
  addCounts(a.warnings, b.warnings);
  return a;
}

export const accountingAddsUp = (t: RowAccounting): boolean => t.read === t.loaded + t.rejected + t.skipped + t.duplicates;

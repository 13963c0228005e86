import type { ActivityDeps } from './deps';

export interface BatchRange {
  firstRow: number;
  lastRow: number;
}

export function createPlanBatches({ db }: ActivityDeps) {
  /** Splits a landed stream into row ranges of about `batchRows` rows. Ranges are derived from
   * the landed rows only, so every attempt and every worker computes the same ones. */
  return async function planBatches(input: { streamId: string; batchRows: number }): Promise<BatchRange[]> {
    const { min, max } = (await db('landing.raw_row').where({ stream_id: input.streamId }).min('row_no as min').max('row_no as max').first()) as {
      min: number | null;
      max: number | null;
    };
    if (min === null || max === null) return [];
    const ranges: BatchRange[] = [];
    for (let first = min; first <= max; first += input.batchRows) ranges.push({ firstRow: first, lastRow: Math.min(first + input.batchRows - 1, max) });
    return ranges;
  };
}

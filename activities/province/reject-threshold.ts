/**
 * The reject threshold (拒收阈值) of a province run: after a stream is normalized and before any of
 * it loads, too many rejected rows stop the city — usually a sign of a wrong mapping, which is
 * cheaper to fix before the province holds half of the rows. Counted from the stored outcomes, so
 * a re-run cannot slip past it.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from '../deps';

export interface RejectThreshold {
  count?: number;
  percent?: number;
}

export interface RejectCount {
  read: number;
  rejected: number;
}

/** True when `rejected` of `read` rows is over the threshold (count, or percent of the rows read). */
export function exceedsThreshold({ read, rejected }: RejectCount, t: RejectThreshold): boolean {
  return (t.count !== undefined && rejected > t.count) || (t.percent !== undefined && read > 0 && rejected * 100 > t.percent * read);
}

export function createCheckRejectThreshold({ db }: ActivityDeps) {
  return async function checkRejectThreshold(input: { streamId: string; mappingVersionId: number; threshold: RejectThreshold }): Promise<RejectCount> {
    const key = { stream_id: input.streamId, mapping_version_id: input.mappingVersionId };
    const [read, rejected] = await Promise.all([
      db('pipeline.load_batch').where({ ...key, phase: 'normalize' }).sum({ n: 'rows' }).first(),
      db('pipeline.row_outcome').where({ ...key, outcome: 'rejected' }).count({ n: '*' }).first(),
    ]);
    const counts = { read: Number(read?.n ?? 0), rejected: Number(rejected?.n ?? 0) };
    if (exceedsThreshold(counts, input.threshold)) {
      const stream = await db('landing.stream as s').join('landing.source_file as f', 'f.id', 's.source_file_id').where('s.id', input.streamId).first('s.name', 'f.source_key');
      throw ApplicationFailure.nonRetryable(
        `${stream?.source_key as string}, sheet/table ${JSON.stringify(stream?.name)}: ${counts.rejected} of ${counts.read} rows rejected, over the threshold ${JSON.stringify(input.threshold)}; nothing of it was loaded`,
        'RejectThresholdExceeded',
        { ...counts, threshold: input.threshold },
      );
    }
    return counts;
  };
}

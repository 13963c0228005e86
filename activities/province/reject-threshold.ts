/**
 * The reject threshold (拒收阈值) of a province run: after a stream is normalized and before any of
 * it loads, too many rejected rows stop the city — usually a sign of a wrong mapping, which is
 * cheaper to fix before the province holds half of the rows. Counted from the stored outcomes, so
 * a re-run cannot slip past it.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { exceedsThreshold, thresholdRefusal, type RejectThreshold } from '../../src/mapping/refusals';
import type { ActivityDeps } from '../deps';

export type { RejectThreshold } from '../../src/mapping/refusals';
export { exceedsThreshold };

export interface RejectCount {
  read: number;
  rejected: number;
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
      const stream = await db('landing.stream as s').join('landing.source_file as f', 'f.id', 's.source_file_id').where('s.id', input.streamId).first('s.name', 'f.source_key', 'f.path');
      const where = { file: stream?.path as string, stream: stream?.name as string };
      const refusal = thresholdRefusal(counts, input.threshold, 0, `${stream?.source_key as string}, sheet/table ${JSON.stringify(stream?.name)}`, where)!;
      throw ApplicationFailure.nonRetryable(refusal.message, refusal.type, { ...counts, threshold: input.threshold, ...where });
    }
    return counts;
  };
}

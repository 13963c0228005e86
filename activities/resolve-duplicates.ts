/**
 * Duplicate resolution within one stream (normalization-rules.md, "Duplicates and conflicts"),
 * set-based in one statement over the staged records of the stream:
 * - one content per natural key: the first row is the winner, the others exact duplicates;
 * - several contents, every row timestamped and one content strictly latest: it wins, the others
 *   are superseded (identical copies of the latest are duplicates);
 * - otherwise every row of the key is a conflict.
 * Deterministic, so re-running it (a retried activity) gives the same decisions.
 */
import type { ActivityDeps } from './deps';

export interface ResolveDuplicatesInput {
  streamId: string;
  mappingVersionId: number;
}

export const RESOLVE_DUPLICATES_SQL = `
WITH scope AS (
  SELECT * FROM pipeline.staged_record WHERE stream_id = :streamId AND mapping_version_id = :mv
), g AS (
  SELECT entity, natural_key,
         count(DISTINCT content_hash) AS variants,
         bool_and(source_updated_at IS NOT NULL) AS all_ts,
         max(source_updated_at) AS max_ts,
         min(row_no) AS first_row
    FROM scope GROUP BY entity, natural_key
), latest AS (
  SELECT s.entity, s.natural_key, count(DISTINCT s.content_hash) AS variants, min(s.row_no) AS first_row
    FROM scope s JOIN g ON g.entity = s.entity AND g.natural_key = s.natural_key
   WHERE g.variants > 1 AND g.all_ts AND s.source_updated_at = g.max_ts
   GROUP BY s.entity, s.natural_key
)
UPDATE pipeline.staged_record s
   SET decision = CASE
     WHEN g.variants = 1 THEN CASE WHEN s.row_no = g.first_row THEN 'winner' ELSE 'duplicate' END
     WHEN latest.variants = 1 THEN CASE
       WHEN s.source_updated_at < g.max_ts THEN 'superseded'
       WHEN s.row_no = latest.first_row THEN 'winner' ELSE 'duplicate' END
     ELSE 'conflict' END
  FROM g LEFT JOIN latest ON latest.entity = g.entity AND latest.natural_key = g.natural_key
 WHERE s.stream_id = :streamId AND s.mapping_version_id = :mv
   AND g.entity = s.entity AND g.natural_key = s.natural_key`;

export function createResolveDuplicates({ db }: ActivityDeps) {
  return async function resolveDuplicates(input: ResolveDuplicatesInput): Promise<{ decided: number }> {
    return db.transaction(async (trx) => {
      // freshly staged rows have no statistics yet: the planner would guess one row per key and
      // nest loops over the whole stream (quadratic); hash joins are right for a stream at once
      await trx.raw('SET LOCAL enable_nestloop = off');
      const result = await trx.raw(RESOLVE_DUPLICATES_SQL, { streamId: input.streamId, mv: input.mappingVersionId });
      return { decided: (result as { rowCount: number }).rowCount };
    });
  };
}

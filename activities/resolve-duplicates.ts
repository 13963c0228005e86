/**
 * Duplicate resolution within one stream (normalization-rules.md, "Duplicates and conflicts"),
 * set-based in one statement over the staged records of the stream:
 * - one content per natural key: the first row is the winner, the others exact duplicates;
 * - several contents, every row timestamped and one content strictly latest: it wins, the others
 *   are superseded (identical copies of the latest are duplicates);
 * - otherwise every row of the key is a conflict.
 * Only keys that occur more than once get a decision written; the only record of its key is the
 * winner, which `pipeline.duplicate_resolution` (written in the same transaction) lets the loader
 * read from a record without a decision. Deterministic, so re-running it (a retried activity)
 * gives the same decisions.
 */
import type { ActivityDeps } from './deps';

export interface ResolveDuplicatesInput {
  streamId: string;
  mappingVersionId: number;
}

/** `dup` finds the repeated keys in one scan of the stream (its primary-key range) and a hash
 * aggregate (no key index: migration 20261207230000); the rest works on their records only. */
export const RESOLVE_DUPLICATES_SQL = `
WITH dup AS (
  SELECT entity, natural_key FROM pipeline.staged_record
   WHERE stream_id = :streamId AND mapping_version_id = :mv
   GROUP BY entity, natural_key HAVING count(*) > 1
), scope AS (
  SELECT s.row_no, s.entity, s.natural_key, s.content_hash, s.source_updated_at
    FROM pipeline.staged_record s JOIN dup ON dup.entity = s.entity AND dup.natural_key = s.natural_key
   WHERE s.stream_id = :streamId AND s.mapping_version_id = :mv
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
      // nest loops over the whole stream (quadratic); hash joins are right for a stream at once.
      // The plan's cost is then huge, which would also start JIT compilation (slower than the query).
      await trx.raw('SET LOCAL enable_nestloop = off');
      await trx.raw('SET LOCAL jit = off');
      // the same missing statistics make it sort the stream's keys to group them (text sorts by
      // collation: 2.5 s of 3.9 s for 1M staged records); hashing them takes 1 s, given the memory
      // to hold them (a stream of 1M keys hashes in ~160 MB; more spills to disk, still hashed)
      await trx.raw('SET LOCAL enable_sort = off');
      await trx.raw("SET LOCAL work_mem = '64MB'");
      const result = await trx.raw(RESOLVE_DUPLICATES_SQL, { streamId: input.streamId, mv: input.mappingVersionId });
      const decided = (result as { rowCount: number }).rowCount;
      const mark = (await trx.raw(
        `INSERT INTO pipeline.duplicate_resolution (stream_id, mapping_version_id, staged, decided)
         SELECT :streamId, :mv, count(*), :decided FROM pipeline.staged_record WHERE stream_id = :streamId AND mapping_version_id = :mv
         ON CONFLICT (stream_id, mapping_version_id) DO UPDATE SET staged = excluded.staged, decided = excluded.decided, resolved_at = now()
         RETURNING staged`,
        { streamId: input.streamId, mv: input.mappingVersionId, decided },
      )) as { rows: { staged: number }[] };
      // every staged record of the stream is decided now: by its decision, or winner by the mark
      return { decided: mark.rows[0]!.staged };
    });
  };
}

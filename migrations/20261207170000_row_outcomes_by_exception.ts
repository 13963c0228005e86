import type { Knex } from 'knex';

/**
 * Outcomes by exception (issue 15). pipeline.row_outcome no longer holds a row for every landed row:
 * a row the set-based load inserted as a new provincial record (activities/load-new-records.ts)
 * stores none. Such a row is loaded by derivation: its primary staged record (part 0) lies in a
 * batch whose load completed (its pipeline.load_batch marker, written in the same transaction as
 * the load) and no outcome is stored for it — every other path of the load stores the row's outcome
 * (rejected, duplicate, superseded, and loaded where the provincial key is not the staged one).
 * A row that was never staged or whose load never completed is not derived as loaded, so a lost
 * row still breaks read = loaded + rejected + skipped + duplicates in the source report.
 *
 * pipeline.row_outcomes is every row's outcome, stored or derived, in row_outcome's columns: what
 * every reader uses (source report, steward settlement, tests); pipeline.row_outcome is what
 * writers write.
 */
const VIEW = `
CREATE VIEW pipeline.row_outcomes AS
SELECT o.stream_id, o.row_no, o.mapping_version_id, o.outcome, o.codes, o.warnings, o.entity, o.natural_key, o.decided_at
  FROM pipeline.row_outcome o
UNION ALL
SELECT s.stream_id, s.row_no, s.mapping_version_id, 'loaded', '{}'::text[],
       ARRAY(SELECT w FROM unnest(s.warnings) WITH ORDINALITY AS u(w, n) GROUP BY w ORDER BY min(n)),
       s.entity, s.natural_key, b.completed_at
  FROM pipeline.staged_record s
  -- the load batch a row falls in: one probe of the marker's primary key per row (a range join
  -- would be hashed on the stream alone, every row against every batch, where nested loops are off)
 CROSS JOIN LATERAL (SELECT b.last_row, b.completed_at FROM pipeline.load_batch b
                      WHERE b.stream_id = s.stream_id AND b.mapping_version_id = s.mapping_version_id
                        AND b.phase = 'load' AND b.first_row <= s.row_no
                      ORDER BY b.first_row DESC LIMIT 1) b
 WHERE s.part = 0 AND b.last_row >= s.row_no
   -- a probe per row too (a scalar subquery is never made a join): freshly written rows have no
   -- statistics, and an anti-join planned for one row scans every outcome for every row
   AND (SELECT true FROM pipeline.row_outcome o
         WHERE o.stream_id = s.stream_id AND o.mapping_version_id = s.mapping_version_id AND o.row_no = s.row_no LIMIT 1) IS NULL`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(VIEW);
  await knex.raw(`COMMENT ON VIEW pipeline.row_outcomes IS 'Every landed row''s outcome: the stored exceptions (pipeline.row_outcome) and the loaded rows derived from completed load batches'`);
}

export async function down(knex: Knex): Promise<void> {
  // the derived rows become stored ones again, so the old layout reads the same
  await knex.raw(`INSERT INTO pipeline.row_outcome (stream_id, row_no, mapping_version_id, outcome, codes, warnings, entity, natural_key, decided_at)
    SELECT stream_id, row_no, mapping_version_id, outcome, codes, warnings, entity, natural_key, decided_at FROM pipeline.row_outcomes v
     WHERE NOT EXISTS (SELECT 1 FROM pipeline.row_outcome o WHERE o.stream_id = v.stream_id AND o.mapping_version_id = v.mapping_version_id AND o.row_no = v.row_no)`);
  await knex.raw('DROP VIEW pipeline.row_outcomes');
}

import type { Knex } from 'knex';

/**
 * Lineage on the provincial row (issue 15). Every provincial record carries the row that wrote its
 * content (stream_id, row_no, mapping_version_id). pipeline.lineage keeps only what that does not
 * say: merges, updates, supersessions — and the insert of a record whose content a later row
 * replaced (the loader writes it there when it overwrites the record's provenance), so no history
 * is lost. A record whose provenance has no lineage row was inserted by that row.
 *
 * pipeline.record_lineage is the whole lineage, stored and derived, in lineage's columns: what every
 * reader uses. The entity → table list is this migration's own (migrations are history); a new
 * provincial entity adds its branch in a migration of its own.
 */
const TABLES: Record<string, string> = {
  employer: 'province.employer',
  person: 'province.person',
  insurance_spell: 'province.insurance_spell',
  contribution: 'province.contribution',
  injury_case: 'province.injury_case',
  appraisal: 'province.appraisal',
  benefit_payment: 'province.benefit_payment',
  fund_position: 'province.city_fund_position',
  fund_year: 'province.city_fund_year',
};

const derivedInserts = (entity: string, table: string) => `
SELECT '${entity}'::text, t.natural_key, t.stream_id, t.row_no, t.mapping_version_id, 'insert'::text, t.created_at
  FROM ${table} t
 WHERE t.stream_id IS NOT NULL
   -- one probe of lineage's (entity, natural_key) index per record (a scalar subquery is never made
   -- a join: an anti-join planned without statistics would scan all lineage for every record)
   AND (SELECT true FROM pipeline.lineage l
         WHERE l.entity = '${entity}' AND l.natural_key = t.natural_key
           AND l.stream_id = t.stream_id AND l.row_no = t.row_no AND l.mapping_version_id = t.mapping_version_id LIMIT 1) IS NULL`;

export async function up(knex: Knex): Promise<void> {
  // what the old layout stored and the new one derives: the inserts still on their records
  await knex.raw(`DELETE FROM pipeline.lineage l WHERE l.action = 'insert' AND (${Object.entries(TABLES)
    .map(([entity, table]) => `EXISTS (SELECT 1 FROM ${table} t WHERE l.entity = '${entity}' AND t.natural_key = l.natural_key AND t.stream_id = l.stream_id AND t.row_no = l.row_no AND t.mapping_version_id = l.mapping_version_id)`)
    .join(' OR ')})`);
  await knex.raw(`CREATE VIEW pipeline.record_lineage (entity, natural_key, stream_id, row_no, mapping_version_id, action, at) AS
SELECT entity, natural_key, stream_id, row_no, mapping_version_id, action, at FROM pipeline.lineage
${Object.entries(TABLES)
  .map(([entity, table]) => `UNION ALL${derivedInserts(entity, table)}`)
  .join('\n')}`);
  await knex.raw(`COMMENT ON VIEW pipeline.record_lineage IS 'Which landed row wrote which provincial record, and how: pipeline.lineage plus the inserts that are still on their records'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`INSERT INTO pipeline.lineage (entity, natural_key, stream_id, row_no, mapping_version_id, action, at)
    SELECT entity, natural_key, stream_id, row_no, mapping_version_id, action, at FROM pipeline.record_lineage WHERE action = 'insert'
    EXCEPT SELECT entity, natural_key, stream_id, row_no, mapping_version_id, action, at FROM pipeline.lineage`);
  await knex.raw('DROP VIEW pipeline.record_lineage');
}

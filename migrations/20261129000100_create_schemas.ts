import type { Knex } from 'knex';

/** Three schemas follow the data: raw rows land in `landing`, the pipeline's own bookkeeping
 * (batches, outcomes, rejects, lineage, audit) lives in `pipeline`, the unified provincial
 * records in `province`. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE SCHEMA IF NOT EXISTS landing');
  await knex.raw('CREATE SCHEMA IF NOT EXISTS pipeline');
  await knex.raw('CREATE SCHEMA IF NOT EXISTS province');
  await knex.raw(`COMMENT ON SCHEMA landing IS 'Raw rows exactly as extracted from city sources, with provenance'`);
  await knex.raw(`COMMENT ON SCHEMA pipeline IS 'Pipeline bookkeeping: mapping versions, batches, row outcomes, rejects, lineage, audit'`);
  await knex.raw(`COMMENT ON SCHEMA province IS 'The unified provincial schema (省级统筹)'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP SCHEMA IF EXISTS province CASCADE');
  await knex.raw('DROP SCHEMA IF EXISTS pipeline CASCADE');
  await knex.raw('DROP SCHEMA IF EXISTS landing CASCADE');
}

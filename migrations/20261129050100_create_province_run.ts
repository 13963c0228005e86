import type { Knex } from 'knex';

/** What a province run leaves behind besides the provincial records: the latest report of each
 * city, the province reports, and the persons found in several cities, which stewards review. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('pipeline').createTable('city_report', (t) => {
    t.comment('The latest report of each city of a province run; a re-run of some sources replaces only theirs');
    t.string('province_code', 2).notNullable();
    t.string('city_code', 6).notNullable();
    t.text('city_name').notNullable();
    t.integer('mapping_version_id').notNullable();
    t.jsonb('report').notNullable().comment('the city report: per source and stream, the accounting of every row');
    t.text('workflow_id').notNullable().comment('the province run that wrote it');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['province_code', 'city_code'], { constraintName: 'city_report_pkey' });
  });

  await knex.schema.withSchema('pipeline').createTable('province_report', (t) => {
    t.comment('Every province report: the sum of its city reports with the cross-city findings');
    t.bigIncrements('id').primary({ constraintName: 'province_report_pkey' });
    t.string('province_code', 2).notNullable();
    t.text('workflow_id').notNullable();
    t.jsonb('report').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['province_code', 'id'], 'province_report_latest_idx');
  });

  await knex.schema.withSchema('pipeline').createTable('cross_city_person', (t) => {
    t.comment('A person whose rows came from more than one city: one provincial person, listed for stewards; rebuilt by each run');
    t.text('natural_key').primary({ constraintName: 'cross_city_person_pkey' }).comment('the 18-digit resident ID');
    t.specificType('city_codes', 'text[]').notNullable().comment('cities whose rows loaded into or merged with the person');
    t.specificType('conflict_city_codes', 'text[]').notNullable().comment('cities whose rows for the person were rejected as conflicting');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['cross_city_person', 'province_report', 'city_report']) {
    await knex.schema.withSchema('pipeline').dropTable(table);
  }
}

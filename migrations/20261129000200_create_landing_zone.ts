import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('landing').createTable('source_file', (t) => {
    t.comment('Every source file (or live-table pull) registered once by content hash; a changed file is a new version');
    t.bigIncrements('id').primary({ constraintName: 'source_file_pkey' });
    t.string('city_code', 6).notNullable().comment('division code of the city the source belongs to');
    t.text('source_key').notNullable().comment('logical source: mapping source id + relative path; versions of one file share it');
    t.integer('version').notNullable().comment('1, 2, … per source_key, in order of registration');
    t.string('content_sha256', 64).notNullable().comment('SHA-256 of the bytes (or of the pull parameters for live sources)');
    t.text('path').notNullable().comment('where the file was read from, for people; never used as identity');
    t.bigInteger('byte_size').notNullable();
    t.text('format').notNullable().comment('csv | tsv | xlsx | xls | mysqldump | pgdump | live');
    t.text('encoding').nullable().comment('detected or declared character encoding');
    t.boolean('date1904').notNullable().defaultTo(false).comment('workbook uses the 1904 date system');
    t.timestamp('registered_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('landed_at', { useTz: true }).nullable().comment('set when every stream is fully landed');
    t.unique(['source_key', 'content_sha256'], { indexName: 'source_file_key_content_uq' });
    t.unique(['source_key', 'version'], { indexName: 'source_file_key_version_uq' });
  });

  await knex.schema.withSchema('landing').createTable('stream', (t) => {
    t.comment('One sheet, table or CSV file inside a source; rows are numbered within it');
    t.bigIncrements('id').primary({ constraintName: 'stream_pkey' });
    t.bigInteger('source_file_id').notNullable().references('id').inTable('landing.source_file').onDelete('CASCADE')
      .withKeyName('stream_source_file_fk');
    t.text('name').notNullable().comment("sheet or table name; '' for a plain CSV file");
    t.jsonb('columns').nullable().comment('column names where the format carries them (SQL)');
    t.bigInteger('rows_landed').nullable().comment('set when the stream is fully landed');
    t.unique(['source_file_id', 'name'], { indexName: 'stream_source_name_uq' });
  });

  // No primary key on raw_row: uniqueness comes from landing_chunk markers committed in the same
  // transaction as the rows, so COPY does not pay for a unique index (performance.md: 0.31× vs 1×).
  // Cells are JSON text, not jsonb: COPY need not parse them (measured 1.6× faster landing), and
  // the reader parses them anyway; SQL that wants JSON operators casts `cells::jsonb`.
  await knex.schema.withSchema('landing').createTable('raw_row', (t) => {
    t.comment('Raw rows as found (after character decoding only); exactly once per (stream_id, row_no) by landing_chunk');
    t.bigInteger('stream_id').notNullable().comment('landing.stream');
    t.integer('row_no').notNullable().comment('1-based physical row (sheets, CSV) or tuple ordinal (SQL)');
    t.text('cells').notNullable().comment('JSON array text of the raw cells: text, number, boolean or null');
  });
  // rows arrive in row order within a stream, so a BRIN index finds batch ranges at a fraction of
  // a btree's cost on the write path
  await knex.raw('CREATE INDEX raw_row_stream_row_brin ON landing.raw_row USING brin (stream_id, row_no) WITH (pages_per_range = 32)');

  await knex.schema.withSchema('landing').createTable('landing_chunk', (t) => {
    t.comment('Completion marker of one landed chunk of rows, committed with them: a retried landing resumes after the last one');
    t.bigInteger('stream_id').notNullable().references('id').inTable('landing.stream').onDelete('CASCADE')
      .withKeyName('landing_chunk_stream_fk');
    t.integer('first_row').notNullable();
    t.integer('last_row').notNullable();
    t.integer('row_count').notNullable();
    t.timestamp('committed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['stream_id', 'first_row'], { constraintName: 'landing_chunk_pkey' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.withSchema('landing').dropTable('landing_chunk');
  await knex.schema.withSchema('landing').dropTable('raw_row');
  await knex.schema.withSchema('landing').dropTable('stream');
  await knex.schema.withSchema('landing').dropTable('source_file');
}

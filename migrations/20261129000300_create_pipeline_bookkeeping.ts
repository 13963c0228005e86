import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('pipeline').createTable('mapping_version', (t) => {
    t.comment('Every distinct version of a city mapping that was used; loaded rows and rejects point here');
    t.increments('id').primary({ constraintName: 'mapping_version_pkey' });
    t.string('city_code', 6).notNullable();
    t.text('mapping_name').notNullable().comment('file name of the mapping, e.g. 430100-changsha');
    t.string('content_sha256', 64).notNullable().comment('hash of the canonical mapping document');
    t.jsonb('document').notNullable().comment('the parsed mapping as used, so a reject can be re-read against it');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['city_code', 'mapping_name', 'content_sha256'], { indexName: 'mapping_version_uq' });
  });

  await knex.schema.withSchema('pipeline').createTable('load_batch', (t) => {
    t.comment('Completion marker of one batch of a pipeline phase, committed in the same transaction as its effects (exactly once)');
    t.bigInteger('stream_id').notNullable().comment('landing.stream');
    t.text('phase').notNullable().comment('normalize | load');
    t.integer('first_row').notNullable();
    t.integer('last_row').notNullable();
    t.integer('mapping_version_id').notNullable().references('id').inTable('pipeline.mapping_version').withKeyName('load_batch_mapping_fk');
    t.integer('rows').notNullable();
    t.text('cursor').nullable().comment('phase-specific resume point');
    t.timestamp('completed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['stream_id', 'mapping_version_id', 'phase', 'first_row'], { constraintName: 'load_batch_pkey' });
  });

  await knex.schema.withSchema('pipeline').createTable('staged_record', (t) => {
    t.comment('A normalized record waiting for duplicate resolution and loading; one row may stage several parts (person + spell)');
    t.bigInteger('stream_id').notNullable();
    t.integer('row_no').notNullable();
    t.smallint('part').notNullable().comment('0 = primary record of the row, 1… = records it also feeds');
    t.integer('mapping_version_id').notNullable();
    t.text('entity').notNullable().comment('provincial entity: employer, person, insurance_spell, …');
    t.text('natural_key').notNullable().comment('natural key of the entity as text');
    t.string('content_hash', 64).notNullable().comment('hash of the normalized content, ignoring ignored columns');
    t.timestamp('source_updated_at', { useTz: true }).nullable().comment('update timestamp of the source row, for latest-wins');
    t.jsonb('payload').notNullable().comment('normalized fields');
    t.jsonb('refs').notNullable().defaultTo('[]').comment('references to resolve when loading');
    t.specificType('warnings', 'text[]').notNullable().defaultTo('{}').comment('warnings of the row, carried to its outcome');
    t.text('decision').nullable().comment('within-source duplicate resolution: winner | duplicate | superseded | conflict');
    t.primary(['stream_id', 'mapping_version_id', 'row_no', 'part'], { constraintName: 'staged_record_pkey' });
  });
  await knex.raw('CREATE INDEX staged_record_entity_key_idx ON pipeline.staged_record (stream_id, mapping_version_id, entity, natural_key)');

  await knex.schema.withSchema('pipeline').createTable('row_outcome', (t) => {
    t.comment('What became of every landed row: loaded, rejected, skipped, duplicate or superseded — never lost');
    t.bigInteger('stream_id').notNullable();
    t.integer('row_no').notNullable();
    t.integer('mapping_version_id').notNullable();
    t.text('outcome').notNullable();
    t.specificType('codes', 'text[]').notNullable().defaultTo('{}').comment('reason codes (rejected) or skip code (skipped)');
    t.specificType('warnings', 'text[]').notNullable().defaultTo('{}');
    t.text('entity').nullable().comment('primary entity of the row');
    t.text('natural_key').nullable().comment('natural key of the primary record');
    t.timestamp('decided_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['stream_id', 'mapping_version_id', 'row_no'], { constraintName: 'row_outcome_pkey' });
  });
  await knex.raw(`ALTER TABLE pipeline.row_outcome ADD CONSTRAINT row_outcome_outcome_ck
    CHECK (outcome IN ('loaded','rejected','skipped','duplicate','superseded'))`);

  await knex.schema.withSchema('pipeline').createTable('reject', (t) => {
    t.comment('The steward queue: a rejected row with its raw cells, locator and every reason');
    t.bigIncrements('id').primary({ constraintName: 'reject_pkey' });
    t.bigInteger('stream_id').notNullable();
    t.integer('row_no').notNullable();
    t.string('city_code', 6).notNullable();
    t.text('entity').notNullable();
    t.integer('mapping_version_id').notNullable();
    t.specificType('codes', 'text[]').notNullable().comment('reason codes, for filtering');
    t.jsonb('reasons').notNullable().comment('[{code, field, detail}]');
    t.jsonb('fields').notNullable().comment('the row by mapped field name: raw values as found');
    t.jsonb('normalized').nullable().comment('what the row would become, as far as it normalized');
    t.text('status').notNullable().defaultTo('open').comment('open | resolved | not_a_record');
    t.integer('revision').notNullable().defaultTo(1).comment('bumped on every change: edits are refused against a stale revision');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['stream_id', 'mapping_version_id', 'row_no'], { indexName: 'reject_row_uq' });
    t.index(['city_code', 'status'], 'reject_city_status_idx');
  });
  await knex.raw('CREATE INDEX reject_codes_idx ON pipeline.reject USING gin (codes)');

  await knex.schema.withSchema('pipeline').createTable('lineage', (t) => {
    t.comment('Which landed row wrote which provincial record, and how');
    t.text('entity').notNullable();
    t.text('natural_key').notNullable();
    t.bigInteger('stream_id').notNullable();
    t.integer('row_no').notNullable();
    t.integer('mapping_version_id').notNullable();
    t.text('action').notNullable().comment('insert | update | merge (identical duplicate) | supersede');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE INDEX lineage_record_idx ON pipeline.lineage (entity, natural_key)');
  await knex.raw('CREATE INDEX lineage_row_idx ON pipeline.lineage (stream_id, row_no)');

  await knex.schema.withSchema('pipeline').createTable('source_report', (t) => {
    t.comment('The accounting of one source under one mapping version: read = loaded + rejected + skipped + duplicates');
    t.bigInteger('source_file_id').notNullable();
    t.integer('mapping_version_id').notNullable();
    t.jsonb('report').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['source_file_id', 'mapping_version_id'], { constraintName: 'source_report_pkey' });
  });

  await knex.schema.withSchema('pipeline').createTable('audit_log', (t) => {
    t.comment('Append-only: who did what, when, with the before and after');
    t.bigIncrements('id').primary({ constraintName: 'audit_log_pkey' });
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('actor').notNullable();
    t.text('action').notNullable();
    t.text('target').nullable();
    t.string('city_code', 6).nullable();
    t.jsonb('before').nullable();
    t.jsonb('after').nullable();
  });
  await knex.raw(`CREATE FUNCTION pipeline.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'pipeline.audit_log is append-only'; END $$`);
  await knex.raw(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON pipeline.audit_log
    FOR EACH ROW EXECUTE FUNCTION pipeline.audit_log_append_only()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.withSchema('pipeline').dropTable('audit_log');
  await knex.raw('DROP FUNCTION pipeline.audit_log_append_only()');
  for (const table of ['source_report', 'lineage', 'reject', 'row_outcome', 'staged_record', 'load_batch', 'mapping_version']) {
    await knex.schema.withSchema('pipeline').dropTable(table);
  }
}

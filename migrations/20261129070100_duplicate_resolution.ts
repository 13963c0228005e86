import type { Knex } from 'knex';

/**
 * The mark that duplicate resolution ran for a stream under a mapping version. With it,
 * resolveDuplicates writes a decision only on staged records whose natural key occurs more than
 * once in the stream; a record left without one is the only record of its key, the winner.
 * Writing 'winner' into every staged record rewrote the whole table (payload included, both
 * indexes) once per stream, which cost more than staging it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('pipeline').createTable('duplicate_resolution', (t) => {
    t.comment('resolveDuplicates ran for this stream and mapping version: staged records without a decision are winners');
    t.bigInteger('stream_id').notNullable();
    t.integer('mapping_version_id').notNullable().references('id').inTable('pipeline.mapping_version').withKeyName('duplicate_resolution_mapping_fk');
    t.integer('staged').notNullable().comment('staged records of the stream when it was resolved');
    t.integer('decided').notNullable().comment('of them, records of keys that occur more than once (they carry a decision)');
    t.timestamp('resolved_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['stream_id', 'mapping_version_id'], { constraintName: 'duplicate_resolution_pkey' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.withSchema('pipeline').dropTable('duplicate_resolution');
}

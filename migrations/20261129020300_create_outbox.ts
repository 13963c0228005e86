import type { Knex } from 'knex';

/**
 * The outbox of outbound agency feeds: a row written in the same transaction as the business
 * change it announces; the feeds delivery loop sends it, retrying with backoff, and records the
 * acknowledgement. The idempotency key (workflow id plus business ids, never a run id) makes a
 * repeated write a no-op and is sent along so the receiver can de-duplicate too.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('pipeline').createTable('outbox', (t) => {
    t.comment('Outbound feed messages waiting for delivery, once per idempotency key');
    t.bigIncrements('id').primary({ constraintName: 'outbox_pkey' });
    t.text('feed').notNullable().comment('which outbound feed, e.g. finance.remittance_plan');
    t.text('idempotency_key').notNullable().unique({ indexName: 'outbox_idempotency_key_uq' });
    t.jsonb('payload').notNullable();
    t.text('status').notNullable().defaultTo('pending').comment('pending until delivered and acknowledged');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('acknowledged_at', { useTz: true }).nullable();
    t.index(['status', 'next_attempt_at'], 'outbox_due_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.withSchema('pipeline').dropTable('outbox');
}

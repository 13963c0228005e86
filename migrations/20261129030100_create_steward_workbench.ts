import type { Knex } from 'knex';

/**
 * The data steward workbench (数据治理工作台): accounts, sessions and login attempts in a schema
 * of their own, the steward's side of a reject (edited fields, decision, resolution), and every
 * resubmission attempt of a reject as a row of a steward fixes source (its lineage).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE SCHEMA IF NOT EXISTS steward');
  await knex.raw(`COMMENT ON SCHEMA steward IS 'Accounts, sessions and login attempts of the data steward workbench'`);

  await knex.schema.withSchema('steward').createTable('account', (t) => {
    t.comment('A workbench account: province administrator, integration engineer or city steward');
    t.increments('id').primary({ constraintName: 'account_pkey' });
    t.text('username').notNullable().comment('login name, compared in lower case');
    t.text('display_name').notNullable();
    t.text('role').notNullable().comment('admin | engineer | steward');
    t.specificType('cities', 'varchar(6)[]').notNullable().defaultTo('{}').comment('division codes a steward may work on; empty for province-wide roles');
    t.boolean('can_reveal').notNullable().defaultTo(false).comment('may show personal data in full (always audited)');
    t.text('password_hash').notNullable().comment('scrypt$N$r$p$salt$hash, never the password');
    t.timestamp('password_set_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('disabled_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('created_by').notNullable();
  });
  await knex.raw('CREATE UNIQUE INDEX account_username_uq ON steward.account (lower(username))');
  await knex.raw(`ALTER TABLE steward.account ADD CONSTRAINT account_role_ck CHECK (role IN ('admin','engineer','steward'))`);
  await knex.raw(`ALTER TABLE steward.account ADD CONSTRAINT account_steward_cities_ck CHECK (role <> 'steward' OR cardinality(cities) > 0)`);

  await knex.schema.withSchema('steward').createTable('session', (t) => {
    t.comment('A signed-in browser: the cookie carries a random token, the table only its hash');
    t.string('token_hash', 64).primary({ constraintName: 'session_pkey' }).comment('SHA-256 of the session token');
    t.integer('account_id').notNullable().references('id').inTable('steward.account').onDelete('CASCADE').withKeyName('session_account_fk');
    t.string('csrf_token', 64).notNullable().comment('synchronizer token every state-changing request must echo');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable().comment('sliding idle expiry, never past the absolute limit');
    t.index(['account_id'], 'session_account_idx');
  });

  await knex.schema.withSchema('steward').createTable('login_attempt', (t) => {
    t.comment('Every login attempt, for rate limiting by user name and by address');
    t.bigIncrements('id').primary({ constraintName: 'login_attempt_pkey' });
    t.text('username').notNullable().comment('as typed, lower case');
    t.text('ip').notNullable();
    t.boolean('ok').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE INDEX login_attempt_user_idx ON steward.login_attempt (username, at)');
  await knex.raw('CREATE INDEX login_attempt_ip_idx ON steward.login_attempt (ip, at)');

  await knex.schema.withSchema('pipeline').alterTable('reject', (t) => {
    t.jsonb('fixed_fields').nullable().comment('the row as the steward edited it, by mapped field name; resubmitted instead of fields');
    t.text('justification').nullable().comment('why a steward closed the reject as not a record');
    t.text('decided_by').nullable().comment('who last changed the reject (account or cli user)');
    t.timestamp('decided_at', { useTz: true }).nullable();
    t.integer('attempts').notNullable().defaultTo(0).comment('resubmissions so far');
    t.jsonb('resolution').nullable().comment('resolved: the fix row that loaded; attempt: the reject it retried');
  });
  await knex.raw(`ALTER TABLE pipeline.reject ADD CONSTRAINT reject_status_ck CHECK (status IN ('open','resolved','not_a_record','attempt'))`);
  await knex.raw(`COMMENT ON COLUMN pipeline.reject.status IS 'open | resolved | not_a_record | attempt (a failed steward fix, folded into the reject it retried)'`);

  await knex.schema.withSchema('pipeline').createTable('reject_attempt', (t) => {
    t.comment('A resubmission of a reject: the row of the steward fixes source it became, and what became of it');
    t.bigIncrements('id').primary({ constraintName: 'reject_attempt_pkey' });
    t.bigInteger('reject_id').notNullable().references('id').inTable('pipeline.reject').withKeyName('reject_attempt_reject_fk');
    t.uuid('attempt_key').notNullable().comment('one resubmission request; the same key on a retry finds the same rows');
    t.bigInteger('source_file_id').notNullable().comment('landing.source_file of the steward fixes source');
    t.bigInteger('stream_id').notNullable();
    t.integer('row_no').notNullable();
    t.integer('mapping_version_id').notNullable().comment('the mapping version the fix was normalized under');
    t.text('actor').notNullable();
    t.timestamp('submitted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('outcome').nullable().comment('row outcome of the fix row once settled');
    t.specificType('codes', 'text[]').nullable();
    t.timestamp('settled_at', { useTz: true }).nullable();
    t.unique(['attempt_key', 'reject_id'], { indexName: 'reject_attempt_key_uq' });
    t.index(['stream_id', 'row_no'], 'reject_attempt_row_idx');
    t.index(['reject_id'], 'reject_attempt_reject_idx');
  });
  await knex.raw('CREATE INDEX audit_log_at_idx ON pipeline.audit_log (at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS pipeline.audit_log_at_idx');
  await knex.schema.withSchema('pipeline').dropTable('reject_attempt');
  await knex.raw('ALTER TABLE pipeline.reject DROP CONSTRAINT reject_status_ck');
  await knex.raw(`COMMENT ON COLUMN pipeline.reject.status IS 'open | resolved | not_a_record'`);
  await knex.schema.withSchema('pipeline').alterTable('reject', (t) => {
    t.dropColumns('fixed_fields', 'justification', 'decided_by', 'decided_at', 'attempts', 'resolution');
  });
  await knex.raw('DROP SCHEMA steward CASCADE');
}

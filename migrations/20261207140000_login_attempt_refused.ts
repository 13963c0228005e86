import type { Knex } from 'knex';

/**
 * Login throttling by (user name, address): an attempt made while that pair is locked out is
 * recorded as `refused` — its password never checked — and does not count as a failure, so
 * knocking on a locked door does not keep it locked (src/steward/sessions.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('steward').alterTable('login_attempt', (t) => {
    t.boolean('refused').notNullable().defaultTo(false).comment('made while locked out: the password was not checked; not a failure');
  });
  await knex.raw('CREATE INDEX login_attempt_user_ip_idx ON steward.login_attempt (username, ip, at) WHERE NOT ok AND NOT refused');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS steward.login_attempt_user_ip_idx');
  await knex.schema.withSchema('steward').alterTable('login_attempt', (t) => {
    t.dropColumn('refused');
  });
}

import type { Knex } from 'knex';

/**
 * Issue #14 (fields): the provincial columns legacy systems have that the record kinds lacked —
 * 参保日期 of an employer, 月缴费工资 of a spell, 到账日期 of a contribution, 支付日期 of a benefit
 * payment; an `extra` jsonb column on every provincial record table for a mapping's typed `extra:`
 * fields; and the load date a run checked dates against, as part of the mapping version's identity
 * (a run with another --load-date normalizes anew, under a version of its own).
 */
const EXTRA_TABLES = ['employer', 'person', 'insurance_spell', 'contribution', 'injury_case', 'appraisal', 'benefit_payment', 'city_fund_position', 'city_fund_year'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('province').alterTable('employer', (t) => {
    t.date('insured_from').nullable().comment('参保日期: when the employer joined the insurance, where the source has it');
  });
  await knex.schema.withSchema('province').alterTable('insurance_spell', (t) => {
    t.bigInteger('monthly_wage_fen').nullable().comment('月缴费工资 in fen, where the source has it');
  });
  await knex.schema.withSchema('province').alterTable('contribution', (t) => {
    t.date('paid_date').nullable().comment('到账日期: when the payment arrived, where the source has it');
  });
  await knex.schema.withSchema('province').alterTable('benefit_payment', (t) => {
    t.date('paid_date').nullable().comment('支付日期: when the benefit was paid, where the source has it');
  });
  for (const table of EXTRA_TABLES) {
    await knex.schema.withSchema('province').alterTable(table, (t) => {
      t.jsonb('extra').nullable().comment("the mapping's typed extra: fields, normalized (money as <name>_fen); null when the row had none");
    });
  }
  await knex.schema.withSchema('pipeline').alterTable('mapping_version', (t) => {
    t.date('load_date').nullable().comment('the load date the run checked dates against (--load-date / manifest load_date); null: each source file its registration day (China time)');
  });
  await knex.raw('ALTER TABLE pipeline.mapping_version DROP CONSTRAINT mapping_version_uq');
  await knex.raw('CREATE UNIQUE INDEX mapping_version_uq ON pipeline.mapping_version (city_code, mapping_name, content_sha256, load_date) NULLS NOT DISTINCT');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX pipeline.mapping_version_uq');
  // refused (duplicate key) while versions of one mapping differ only in their load date: they are runs of their own
  await knex.schema.withSchema('pipeline').alterTable('mapping_version', (t) => t.dropColumn('load_date'));
  await knex.raw('ALTER TABLE pipeline.mapping_version ADD CONSTRAINT mapping_version_uq UNIQUE (city_code, mapping_name, content_sha256)');
  for (const table of EXTRA_TABLES) await knex.schema.withSchema('province').alterTable(table, (t) => t.dropColumn('extra'));
  await knex.schema.withSchema('province').alterTable('benefit_payment', (t) => t.dropColumn('paid_date'));
  await knex.schema.withSchema('province').alterTable('contribution', (t) => t.dropColumn('paid_date'));
  await knex.schema.withSchema('province').alterTable('insurance_spell', (t) => t.dropColumn('monthly_wage_fen'));
  await knex.schema.withSchema('province').alterTable('employer', (t) => t.dropColumn('insured_from'));
}

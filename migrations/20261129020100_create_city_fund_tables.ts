import type { Knex } from 'knex';

/**
 * City fund positions as they arrive through the pipeline, like every provincial entity: a
 * natural key plus the provenance columns (see create_province_core). Amounts are integer fen;
 * the unit the city reported in (万元 or 元) is kept beside them.
 */
function provenance(t: Knex.CreateTableBuilder, knex: Knex) {
  t.text('natural_key').notNullable().unique().comment('city:period:basis or city:year:basis, what loads upsert on');
  t.string('content_hash', 64).notNullable().comment('hash of the normalized content');
  t.timestamp('source_updated_at', { useTz: true }).nullable();
  t.bigInteger('stream_id').notNullable().comment('landing.stream of the row that last wrote this record');
  t.integer('row_no').notNullable();
  t.integer('mapping_version_id').notNullable();
  t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('province').createTable('city_fund_position', (t) => {
    t.comment('原结余基金: a former pooling area accumulated surplus at the switch-over, by period bucket or by year of accrual');
    t.bigIncrements('id').primary({ constraintName: 'city_fund_position_pkey' });
    t.string('city_code', 6).notNullable().comment('former pooling area (GB/T 2260)');
    t.text('period').notNullable().comment('the bucket id, or the year as text when the city reports by year');
    t.text('bucket_id').nullable().comment('the policy bucket the city reported against');
    t.integer('year').nullable().comment('the year the surplus accrued, when reported by year');
    t.text('basis').notNullable().comment('final_accounts (决算) or budget (预算)');
    t.bigInteger('surplus_fen').notNullable().comment('accumulated surplus of the period, fen');
    t.bigInteger('reserve_fen').notNullable().defaultTo(0).comment('of which city reserve fund (储备金), inside surplus_fen');
    t.bigInteger('city_adjustment_fund_fen').notNullable().defaultTo(0).comment('of which city adjustment fund (市级调剂金), inside surplus_fen');
    t.text('unit').notNullable().comment('unit of the source amounts: wan_yuan, yuan or fen');
    provenance(t, knex);
    t.index(['city_code'], 'city_fund_position_city_idx');
  });
  await knex.raw(`ALTER TABLE province.city_fund_position ADD CONSTRAINT city_fund_position_basis_ck CHECK (basis IN ('final_accounts','budget'))`);

  await knex.schema.withSchema('province').createTable('city_fund_year', (t) => {
    t.comment('A former pooling area fund flows in one fiscal year: contribution income, other income, expenditure');
    t.bigIncrements('id').primary({ constraintName: 'city_fund_year_pkey' });
    t.string('city_code', 6).notNullable();
    t.integer('year').notNullable();
    t.text('basis').notNullable().comment('final_accounts (决算) or budget (预算)');
    t.bigInteger('contribution_income_fen').notNullable().comment('保险费收入, the remittance base');
    t.bigInteger('other_income_fen').notNullable().defaultTo(0).comment('interest, subsidies and other income');
    t.bigInteger('expenditure_fen').notNullable().comment('基金支出');
    t.text('unit').notNullable().comment('unit of the source amounts: wan_yuan, yuan or fen');
    provenance(t, knex);
    t.index(['city_code', 'year'], 'city_fund_year_city_year_idx');
  });
  await knex.raw(`ALTER TABLE province.city_fund_year ADD CONSTRAINT city_fund_year_basis_ck CHECK (basis IN ('final_accounts','budget'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.withSchema('province').dropTable('city_fund_year');
  await knex.schema.withSchema('province').dropTable('city_fund_position');
}

import type { Knex } from 'knex';

/**
 * Fund rule results (fund-rules.md), versioned and kept with their inputs so an auditor can
 * recompute every figure: the policy files used, remittance plans with their installments,
 * finance receipts, and adjustment-fund runs with their ledger and city-year coverage.
 * Results are written once: a changed input makes a new version, never an edit.
 */
const IMMUTABLE = ['remittance_installment', 'fund_receipt', 'adjustment_fund_year', 'city_year_coverage'];

/** The columns of a plan that are its figures and inputs; only its lifecycle columns may change. */
const PLAN_FIGURES = [
  'plan_id', 'city_code', 'plan_version', 'policy_version_id', 'policy_version', 'inputs_sha256', 'inputs', 'basis',
  'surplus_fen', 'of_which_reserve_fen', 'of_which_city_adjustment_fund_fen', 'remitted_fen', 'retained_fen', 'buckets', 'computed_at',
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('province').createTable('fund_policy_version', (t) => {
    t.comment('Every provincial fund policy file used, by version and content hash');
    t.increments('id').primary({ constraintName: 'fund_policy_version_pkey' });
    t.text('version').notNullable().unique({ indexName: 'fund_policy_version_uq' }).comment('the version the file declares; one content per version');
    t.text('model').notNullable().comment('unified (统收统支) or adjustment (省级调剂金)');
    t.string('content_sha256', 64).notNullable().comment('hash of the canonical parsed policy');
    t.jsonb('document').notNullable().comment('the parsed policy as used (amounts as fen strings)');
    t.text('source_text').notNullable().comment('the policy file as read');
    t.text('file_name').notNullable();
    t.date('effective_from').notNullable();
    t.date('switch_over').notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.withSchema('province').createTable('remittance_plan', (t) => {
    t.comment('上解计划: one city remittance plan version (unified model) with the inputs it was computed from');
    t.text('plan_id').primary({ constraintName: 'remittance_plan_pkey' }).comment('remit:city:policy version:plan version, quoted by finance receipts');
    t.string('city_code', 6).notNullable();
    t.integer('plan_version').notNullable().comment('1, 2, 3 per city: a new version for every new set of inputs');
    t.integer('policy_version_id').notNullable().references('id').inTable('province.fund_policy_version').withKeyName('remittance_plan_policy_fk');
    t.text('policy_version').notNullable();
    t.string('inputs_sha256', 64).notNullable().comment('hash of the policy content and the bucket amounts: same inputs, same plan');
    t.jsonb('inputs').notNullable().comment('policy version and hash, basis, bucket amounts and of-which parts, with the source records');
    t.text('basis').notNullable().comment('final_accounts or budget: which figures of the city were used');
    t.bigInteger('surplus_fen').notNullable().comment('原结余基金: the sum of the buckets');
    t.bigInteger('of_which_reserve_fen').notNullable();
    t.bigInteger('of_which_city_adjustment_fund_fen').notNullable();
    t.bigInteger('remitted_fen').notNullable().comment('the sum of the bucket totals');
    t.bigInteger('retained_fen').notNullable().comment('surplus minus remitted: the city working balance');
    t.jsonb('buckets').notNullable().comment('per bucket: amount, share, total, installment count, first due, step');
    t.timestamp('computed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('when these inputs were first computed');
    t.text('status').notNullable().defaultTo('computed').comment('computed, awaiting_approval, approved, published');
    t.text('approved_by').nullable();
    t.text('approver_role').nullable();
    t.timestamp('approved_at', { useTz: true }).nullable();
    t.text('approval_note').nullable();
    t.timestamp('published_at', { useTz: true }).nullable();
    t.unique(['city_code', 'plan_version'], { indexName: 'remittance_plan_city_version_uq' });
    t.unique(['city_code', 'inputs_sha256'], { indexName: 'remittance_plan_city_inputs_uq' });
  });
  await knex.raw(`ALTER TABLE province.remittance_plan ADD CONSTRAINT remittance_plan_status_ck
    CHECK (status IN ('computed','awaiting_approval','approved','published'))`);

  await knex.schema.withSchema('province').createTable('remittance_installment', (t) => {
    t.comment('One installment of a remittance plan, with the bucket figures it was split from');
    t.text('plan_id').notNullable().references('plan_id').inTable('province.remittance_plan').withKeyName('remittance_installment_plan_fk');
    t.integer('number').notNullable().comment('1…N across the plan, by due date: the number finance receipts quote');
    t.string('city_code', 6).notNullable();
    t.integer('plan_version').notNullable();
    t.text('policy_version').notNullable();
    t.text('bucket_id').notNullable();
    t.integer('bucket_installment_number').notNullable();
    t.date('due_date').notNullable();
    t.bigInteger('amount_fen').notNullable();
    t.bigInteger('bucket_amount_fen').notNullable().comment('input: the bucket accumulated surplus');
    t.text('share').notNullable().comment('input: the fraction of the bucket remitted, as in the policy');
    t.bigInteger('bucket_total_fen').notNullable().comment('round half up of bucket amount times share');
    t.integer('bucket_installments').notNullable().comment('input: how many installments the bucket is split into');
    t.timestamp('computed_at', { useTz: true }).notNullable();
    t.primary(['plan_id', 'number'], { constraintName: 'remittance_installment_pkey' });
  });

  await knex.schema.withSchema('province').createTable('fund_receipt', (t) => {
    t.comment('Finance-bureau receipts (财政专户 transfers) as delivered, once per receipt id');
    t.text('receipt_id').primary({ constraintName: 'fund_receipt_pkey' });
    t.text('plan_id').notNullable().comment('the plan the receipt quotes (kept even when it names no known installment)');
    t.integer('installment_number').notNullable();
    t.bigInteger('amount_fen').notNullable();
    t.date('received_on').notNullable();
    t.text('channel').notNullable().comment('signal, update or cli: how it reached the plan workflow');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['plan_id', 'installment_number'], 'fund_receipt_installment_idx');
  });

  await knex.schema.withSchema('province').createTable('adjustment_run', (t) => {
    t.comment('One run of the adjustment model (省级调剂金) over given positions and yearly flows');
    t.bigIncrements('id').primary({ constraintName: 'adjustment_run_pkey' });
    t.integer('policy_version_id').notNullable().references('id').inTable('province.fund_policy_version').withKeyName('adjustment_run_policy_fk');
    t.text('policy_version').notNullable();
    t.string('inputs_sha256', 64).notNullable().unique({ indexName: 'adjustment_run_inputs_uq' }).comment('same inputs, same run');
    t.jsonb('inputs').notNullable().comment('policy hash, openings with merged reserves, flows with their basis and source records');
    t.integer('first_year').nullable();
    t.integer('last_year').nullable();
    t.bigInteger('opening_fund_fen').notNullable();
    t.timestamp('computed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.withSchema('province').createTable('adjustment_fund_year', (t) => {
    t.comment('调剂金台账: the provincial adjustment fund in one year of a run');
    t.bigInteger('run_id').notNullable().references('id').inTable('province.adjustment_run').withKeyName('adjustment_fund_year_run_fk');
    t.integer('year').notNullable();
    t.bigInteger('opening_fen').notNullable();
    t.bigInteger('remittances_fen').notNullable().comment('every city remittance of the year, credited before any gap is covered');
    t.bigInteger('available_fen').notNullable();
    t.bigInteger('claims_fen').notNullable().comment('open gaps after the cities own surplus');
    t.bigInteger('disbursed_fen').notNullable();
    t.boolean('pro_rata').notNullable().comment('claims exceeded the fund and were shared pro rata');
    t.bigInteger('closing_fen').notNullable();
    t.primary(['run_id', 'year'], { constraintName: 'adjustment_fund_year_pkey' });
  });

  await knex.schema.withSchema('province').createTable('city_year_coverage', (t) => {
    t.comment('缺口弥补: one city-year of a run: remittance, balance, and how a gap was covered');
    t.bigInteger('run_id').notNullable().references('id').inTable('province.adjustment_run').withKeyName('city_year_coverage_run_fk');
    t.string('city_code', 6).notNullable();
    t.integer('year').notNullable();
    t.text('policy_version').notNullable();
    t.text('basis').notNullable().comment('which figures of the city-year were used');
    t.bigInteger('contribution_income_fen').notNullable();
    t.bigInteger('other_income_fen').notNullable();
    t.bigInteger('expenditure_fen').notNullable();
    t.text('ratio').notNullable();
    t.text('ratio_source').notNullable().comment('city or province');
    t.bigInteger('remittance_fen').notNullable();
    t.bigInteger('balance_fen').notNullable();
    t.bigInteger('surplus_opening_fen').notNullable();
    t.bigInteger('added_to_surplus_fen').notNullable();
    t.bigInteger('gap_fen').notNullable();
    t.bigInteger('from_own_surplus_fen').notNullable();
    t.bigInteger('open_gap_fen').notNullable();
    t.bigInteger('from_adjustment_fund_fen').notNullable();
    t.bigInteger('shared_gap_fen').notNullable();
    t.text('gap_share_province').notNullable();
    t.bigInteger('shared_gap_province_fen').notNullable();
    t.bigInteger('shared_gap_city_fen').notNullable();
    t.bigInteger('surplus_closing_fen').notNullable();
    t.primary(['run_id', 'city_code', 'year'], { constraintName: 'city_year_coverage_pkey' });
  });

  await knex.raw(`CREATE FUNCTION province.fund_result_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '% rows are never edited in place: compute a new version', TG_TABLE_NAME; END $$`);
  for (const table of IMMUTABLE) {
    await knex.raw(`CREATE TRIGGER ${table}_immutable BEFORE UPDATE ON province.${table} FOR EACH ROW EXECUTE FUNCTION province.fund_result_immutable()`);
  }
  const changed = PLAN_FIGURES.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ');
  await knex.raw(`CREATE FUNCTION province.remittance_plan_figures_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF ${changed} THEN RAISE EXCEPTION 'remittance plan % figures are never edited in place: compute a new version', OLD.plan_id; END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER remittance_plan_figures_fixed BEFORE UPDATE ON province.remittance_plan
    FOR EACH ROW EXECUTE FUNCTION province.remittance_plan_figures_fixed()`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['city_year_coverage', 'adjustment_fund_year', 'adjustment_run', 'fund_receipt', 'remittance_installment', 'remittance_plan', 'fund_policy_version']) {
    await knex.schema.withSchema('province').dropTable(table);
  }
  await knex.raw('DROP FUNCTION province.fund_result_immutable()');
  await knex.raw('DROP FUNCTION province.remittance_plan_figures_fixed()');
}

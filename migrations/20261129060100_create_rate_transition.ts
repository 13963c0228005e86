import type { Knex } from 'knex';

/**
 * Rate and benefit transition results (transition-rules.md), versioned and kept with their inputs
 * like the fund plans: the rate policy files used, and per city one run per set of inputs with
 * every employer path (and the contribution rows its legacy rate came from), the city income
 * projection and every benefit schedule. Results are written once: new inputs, a re-banding or a
 * new policy version make a new run, never an edit.
 */
const RESULT_TABLES = ['rate_transition_run', 'employer_rate_path', 'employer_rate_step', 'city_income_year', 'benefit_transition_step'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('province').createTable('rate_policy_version', (t) => {
    t.comment('Every provincial rate policy file used (费率政策), by version and content hash');
    t.increments('id').primary({ constraintName: 'rate_policy_version_pkey' });
    t.text('version').notNullable().unique({ indexName: 'rate_policy_version_uq' }).comment('the version the file declares; one content per version');
    t.string('content_sha256', 64).notNullable().comment('hash of the canonical parsed policy');
    t.jsonb('document').notNullable().comment('the parsed policy as used');
    t.text('source_text').notNullable().comment('the policy file as read');
    t.text('file_name').notNullable();
    t.date('effective_from').notNullable();
    t.text('policy_document').nullable().comment('the policy document the rates come from');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.withSchema('province').createTable('rate_transition_run', (t) => {
    t.comment('One computation of a city transition from one set of inputs: paths, income impact, benefit schedules');
    t.text('run_id').primary({ constraintName: 'rate_transition_run_pkey' }).comment('rates:city:policy version:run version');
    t.string('city_code', 6).notNullable();
    t.integer('run_version').notNullable().comment('1, 2, 3 per city: a new version for every new set of inputs');
    t.integer('policy_version_id').notNullable().references('id').inTable('province.rate_policy_version').withKeyName('rate_transition_run_policy_fk');
    t.text('policy_version').notNullable();
    t.date('effective_from').notNullable().comment('step 0 of every path: the switch-over, or a re-banding or new policy date');
    t.date('switch_over').notNullable().comment('legacy rates and payroll bases are taken from the periods before it');
    t.integer('assessed_year').notNullable().comment('the calendar year whose record chose the bands');
    t.text('based_on_run_id').nullable().references('run_id').inTable('province.rate_transition_run').withKeyName('rate_transition_run_base_fk')
      .comment('the run whose paths and schedules this one continues from the rate in force');
    t.integer('years').notNullable().comment('the horizon of every path and of the income projection');
    t.string('inputs_sha256', 64).notNullable().comment('hash of the policy content, dates, base run and every record read: same inputs, same run');
    t.jsonb('inputs').notNullable().comment('policy version and hash, dates, base run, counts of the records read');
    t.integer('employers').notNullable();
    t.integer('benefits').notNullable();
    t.jsonb('movements').notNullable().comment('up, down, stay and new: how many, by how much, over how many years');
    t.specificType('flagged_years', 'integer[]').notNullable().comment('year indexes whose income swing exceeds max_income_swing');
    t.jsonb('reasons').notNullable().comment('employers and benefits that could not be planned, and why');
    t.timestamp('computed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['city_code', 'run_version'], { indexName: 'rate_transition_run_city_version_uq' });
    t.unique(['city_code', 'inputs_sha256'], { indexName: 'rate_transition_run_city_inputs_uq' });
  });

  await knex.schema.withSchema('province').createTable('employer_rate_path', (t) => {
    t.comment('An employer in a run: legacy rate with the contribution rows that set it, class, band with the floating-rule inputs, target, path');
    t.text('run_id').notNullable().references('run_id').inTable('province.rate_transition_run').withKeyName('employer_rate_path_run_fk');
    t.bigInteger('employer_id').notNullable().references('id').inTable('province.employer').withKeyName('employer_rate_path_employer_fk');
    t.text('employer_key').notNullable();
    t.string('city_code', 6).notNullable();
    t.smallint('risk_class').notNullable();
    t.text('legacy_rate').nullable().comment('rate of the latest contribution period before the switch-over; null for none');
    t.string('legacy_period', 7).nullable();
    t.text('legacy_rate_source').nullable().comment('stated on the rows, or derived as due over payroll');
    t.jsonb('legacy_rows').notNullable().comment('lineage: the contribution rows of the legacy period (id, natural key, stream, row, rate)');
    t.text('band').notNullable().comment('multiple of the base rate');
    t.text('band_basis').notNullable().comment('non_floating_class, short_contribution_history or floating_table');
    t.jsonb('band_inputs').notNullable().comment('assessed year, months, contributions and benefits paid, new injuries, ratio, column');
    t.text('base_rate').notNullable();
    t.text('target_rate').notNullable();
    t.text('start_rate').nullable();
    t.text('start_basis').notNullable().comment('legacy, rate_in_force (continued run) or target (no legacy rate)');
    t.text('max_step').notNullable();
    t.date('start_date').notNullable();
    t.text('direction').notNullable().comment('up, down or stay');
    t.integer('moves').notNullable().comment('yearly steps until the target');
    t.date('reaches_target_on').notNullable();
    t.bigInteger('payroll_base_fen').notNullable().comment('payroll of the last 12 contribution periods before the switch-over');
    t.specificType('payroll_periods', 'text[]').notNullable();
    t.integer('payroll_missing_rows').notNullable().comment('rows of those periods without a payroll figure, counted as 0');
    t.specificType('payroll_contribution_ids', 'bigint[]').notNullable().comment('lineage: the contribution rows summed');
    t.bigInteger('legacy_income_fen').notNullable().comment('round half up of payroll base times the legacy rate');
    t.primary(['run_id', 'employer_id'], { constraintName: 'employer_rate_path_pkey' });
    t.index(['employer_key'], 'employer_rate_path_key_idx');
  });

  await knex.schema.withSchema('province').createTable('employer_rate_step', (t) => {
    t.comment('One yearly step of an employer path, with the contribution it projects');
    t.text('run_id').notNullable();
    t.bigInteger('employer_id').notNullable();
    t.integer('step').notNullable().comment('0 on the start date, k on its k-th anniversary');
    t.date('effective').notNullable();
    t.text('from_rate').notNullable();
    t.text('rate').notNullable();
    t.text('change').notNullable().comment('rate minus from_rate, signed');
    t.boolean('at_target').notNullable();
    t.bigInteger('projected_fen').notNullable().comment('round half up of the payroll base times the rate');
    t.primary(['run_id', 'employer_id', 'step'], { constraintName: 'employer_rate_step_pkey' });
    t.foreign(['run_id', 'employer_id'], 'employer_rate_step_path_fk').references(['run_id', 'employer_id']).inTable('province.employer_rate_path');
  });

  await knex.schema.withSchema('province').createTable('city_income_year', (t) => {
    t.comment('Projected contribution income of a city-year under the paths, against the legacy rates');
    t.text('run_id').notNullable().references('run_id').inTable('province.rate_transition_run').withKeyName('city_income_year_run_fk');
    t.string('city_code', 6).notNullable();
    t.integer('year_index').notNullable().comment('0 for the year from the start date');
    t.date('from_date').notNullable();
    t.bigInteger('projected_fen').notNullable();
    t.bigInteger('legacy_fen').notNullable();
    t.bigInteger('previous_fen').notNullable().comment('the year before: legacy income for year 0');
    t.text('change').nullable().comment('projected over previous minus 1, four places; null from a zero year');
    t.text('change_text').notNullable();
    t.boolean('flagged').notNullable().comment('the swing exceeds max_income_swing');
    t.text('max_income_swing').notNullable();
    t.primary(['run_id', 'year_index'], { constraintName: 'city_income_year_pkey' });
  });

  await knex.schema.withSchema('province').createTable('benefit_transition_step', (t) => {
    t.comment('待遇过渡: one dated adjustment of a monthly benefit, with the inputs it was computed from');
    t.text('run_id').notNullable().references('run_id').inTable('province.rate_transition_run').withKeyName('benefit_transition_step_run_fk');
    t.text('benefit_key').notNullable().comment('city, case number and benefit type');
    t.bigInteger('case_id').notNullable().references('id').inTable('province.injury_case').withKeyName('benefit_transition_step_case_fk');
    t.string('city_code', 6).notNullable();
    t.text('case_no').notNullable();
    t.text('benefit_type').notNullable();
    t.text('treatment').notNullable().comment('raise, keep or at_standard');
    t.integer('step').notNullable().comment('1 to benefit_steps for a raise; 0 for a kept or unchanged amount');
    t.date('effective').notNullable();
    t.bigInteger('previous_fen').notNullable();
    t.bigInteger('amount_fen').notNullable();
    t.bigInteger('raise_fen').notNullable();
    t.bigInteger('legacy_fen').notNullable().comment('input: the monthly amount paid, or in force under the base run');
    t.text('legacy_basis').notNullable().comment('paid or schedule');
    t.bigInteger('standard_fen').notNullable().comment('input: the provincial standard amount');
    t.integer('steps').notNullable().comment('input: benefit_steps of the policy');
    t.bigInteger('step_fen').notNullable().comment('input: round half up of the gap over the steps');
    t.jsonb('standard_basis').notNullable().comment('average wage, share, grade or nursing level, implied wage');
    t.jsonb('legacy_payment').notNullable().comment('lineage: the benefit payment row the legacy amount came from');
    t.primary(['run_id', 'benefit_key', 'step'], { constraintName: 'benefit_transition_step_pkey' });
  });

  await knex.raw(`CREATE FUNCTION province.transition_result_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '% rows are never edited in place: compute a new run', TG_TABLE_NAME; END $$`);
  for (const table of RESULT_TABLES) {
    await knex.raw(`CREATE TRIGGER ${table}_immutable BEFORE UPDATE ON province.${table} FOR EACH ROW EXECUTE FUNCTION province.transition_result_immutable()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['benefit_transition_step', 'city_income_year', 'employer_rate_step', 'employer_rate_path', 'rate_transition_run', 'rate_policy_version']) {
    await knex.schema.withSchema('province').dropTable(table);
  }
  await knex.raw('DROP FUNCTION province.transition_result_immutable()');
}

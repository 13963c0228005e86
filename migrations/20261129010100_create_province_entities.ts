import type { Knex } from 'knex';

/**
 * The provincial entities beyond employers, persons and spells: contributions, injury cases,
 * work-capacity appraisals and benefit payments; and the references a reject was waiting for, so
 * reference rejects can be retried when the missing record arrives.
 */

/** Columns every provincial record carries (as in create_province_core): where its content came from. */
function provenance(t: Knex.CreateTableBuilder, knex: Knex) {
  t.text('natural_key').notNullable().unique().comment('the natural key as text (normalization-rules.md): what loads upsert on');
  t.string('content_hash', 64).notNullable().comment('hash of the normalized content, for duplicate detection across sources');
  t.timestamp('source_updated_at', { useTz: true }).nullable().comment('update timestamp of the source row, for latest-wins');
  t.bigInteger('stream_id').notNullable().comment('landing.stream of the row that last wrote this record');
  t.integer('row_no').notNullable();
  t.integer('mapping_version_id').notNullable();
  t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('province').createTable('contribution', (t) => {
    t.comment('缴费记录: what an employer owed and paid for one contribution month');
    t.bigIncrements('id').primary({ constraintName: 'contribution_pkey' });
    t.bigInteger('employer_id').notNullable().references('id').inTable('province.employer').withKeyName('contribution_employer_fk');
    t.string('period', 7).notNullable().comment('contribution month YYYY-MM (费款所属期)');
    t.bigInteger('amount_due_fen').notNullable().comment('应缴金额 in fen');
    t.bigInteger('amount_paid_fen').nullable().comment('实缴金额 in fen, where the source has it');
    t.bigInteger('payroll_base_fen').nullable().comment('缴费基数 or payroll in fen, where the source has it');
    t.specificType('rate', 'numeric').nullable().comment('contribution rate as an exact decimal (0.005 = 0.5 percent), where the source has it');
    t.string('city_code', 6).notNullable().comment('the city whose data brought the record');
    provenance(t, knex);
    t.unique(['employer_id', 'period'], { indexName: 'contribution_employer_period_uq' });
  });

  await knex.schema.withSchema('province').createTable('injury_case', (t) => {
    t.comment('工伤认定: a determination case of a city, by its case number');
    t.bigIncrements('id').primary({ constraintName: 'injury_case_pkey' });
    t.string('city_code', 6).notNullable();
    t.text('case_no').notNullable().comment('the city case number (认定书编号) as trimmed text');
    t.bigInteger('person_id').notNullable().references('id').inTable('province.person').withKeyName('injury_case_person_fk');
    t.bigInteger('employer_id').notNullable().references('id').inTable('province.employer').withKeyName('injury_case_employer_fk');
    t.date('accident_date').notNullable();
    t.date('determination_date').notNullable();
    t.text('result').notNullable().comment('recognized | deemed | not_recognized');
    t.text('accident_type').notNullable().comment('provincial accident type enumeration');
    provenance(t, knex);
    t.unique(['city_code', 'case_no'], { indexName: 'injury_case_city_no_uq' });
    t.index(['person_id'], 'injury_case_person_idx');
  });

  await knex.schema.withSchema('province').createTable('appraisal', (t) => {
    t.comment('劳动能力鉴定: the conclusion of a work-capacity appraisal of a case');
    t.bigIncrements('id').primary({ constraintName: 'appraisal_pkey' });
    t.bigInteger('case_id').notNullable().references('id').inTable('province.injury_case').withKeyName('appraisal_case_fk');
    t.bigInteger('person_id').nullable().references('id').inTable('province.person').withKeyName('appraisal_person_fk').comment('where the source names the person');
    t.date('appraisal_date').notNullable();
    t.smallint('disability_grade').notNullable().comment('伤残等级 1 (worst) to 10');
    t.smallint('nursing_level').nullable().comment('生活自理障碍等级 1 to 3; null for none');
    t.string('city_code', 6).notNullable();
    provenance(t, knex);
    t.unique(['case_id', 'appraisal_date'], { indexName: 'appraisal_case_date_uq' });
  });

  await knex.schema.withSchema('province').createTable('benefit_payment', (t) => {
    t.comment('待遇支付: a benefit of a case paid for a period');
    t.bigIncrements('id').primary({ constraintName: 'benefit_payment_pkey' });
    t.bigInteger('case_id').notNullable().references('id').inTable('province.injury_case').withKeyName('benefit_payment_case_fk');
    t.bigInteger('person_id').nullable().references('id').inTable('province.person').withKeyName('benefit_payment_person_fk').comment('where the source names the person');
    t.text('benefit_type').notNullable().comment('provincial benefit type enumeration');
    t.string('period', 7).notNullable().comment('YYYY-MM the payment is for');
    t.bigInteger('amount_fen').notNullable();
    t.string('city_code', 6).notNullable();
    provenance(t, knex);
    t.unique(['case_id', 'benefit_type', 'period'], { indexName: 'benefit_payment_natural_uq' });
  });

  await knex.schema.withSchema('pipeline').alterTable('reject', (t) => {
    t.jsonb('refs').nullable().comment('references of the row as far as it normalized: re-checked when the missing record arrives');
  });
  await knex.raw(`CREATE INDEX reject_open_reference_idx ON pipeline.reject (id) WHERE status = 'open' AND codes && ARRAY['reference.employer_missing','reference.person_missing','reference.case_missing']::text[]`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX pipeline.reject_open_reference_idx');
  await knex.schema.withSchema('pipeline').alterTable('reject', (t) => t.dropColumn('refs'));
  for (const table of ['benefit_payment', 'appraisal', 'injury_case', 'contribution']) await knex.schema.withSchema('province').dropTable(table);
}

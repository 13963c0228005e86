import type { Knex } from 'knex';

/** Columns every provincial record carries: where its current content came from. */
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
  await knex.schema.withSchema('province').createTable('division', (t) => {
    t.comment('Administrative divisions (GB/T 2260), dated: retired codes stay for old records');
    t.string('code', 6).primary({ constraintName: 'division_pkey' });
    t.text('name').notNullable();
    t.text('level').notNullable().comment('province | city | county');
    t.string('parent_code', 6).nullable();
    t.date('valid_from').nullable();
    t.date('valid_to').nullable();
  });

  await knex.schema.withSchema('province').createTable('employer', (t) => {
    t.comment('参保单位: keyed by unified social credit code, else legacy organization code');
    t.bigIncrements('id').primary({ constraintName: 'employer_pkey' });
    t.text('employer_key').notNullable().unique({ indexName: 'employer_key_uq' }).comment("natural key: USC code, or 'ORG:' + organization code");
    t.string('usc_code', 18).nullable().comment('统一社会信用代码');
    t.string('org_code', 9).nullable().comment('组织机构代码 (9 characters, no hyphen)');
    t.text('name').notNullable();
    t.string('city_code', 6).notNullable().comment('the city whose data first brought the employer');
    t.smallint('risk_class').nullable().comment('industry risk class 1–8 (人社部发〔2015〕71号)');
    t.text('industry_code').nullable().comment('GB/T 4754 division, as given');
    t.jsonb('attributes').notNullable().defaultTo('{}').comment('further normalized fields from the mapping');
    provenance(t, knex);
  });

  await knex.schema.withSchema('province').createTable('employer_city_key', (t) => {
    t.comment("A legacy employer number of a city → the provincial employer; references by legacy key resolve within the city");
    t.string('city_code', 6).notNullable();
    t.text('legacy_no').notNullable().comment('trimmed text of the employer number in the city system');
    t.bigInteger('employer_id').notNullable().references('id').inTable('province.employer').withKeyName('employer_city_key_employer_fk');
    t.primary(['city_code', 'legacy_no'], { constraintName: 'employer_city_key_pkey' });
  });

  await knex.schema.withSchema('province').createTable('person', (t) => {
    t.comment('参保人员: one per 18-digit resident ID across the province');
    t.bigIncrements('id').primary({ constraintName: 'person_pkey' });
    t.string('id_number', 18).notNullable().unique({ indexName: 'person_id_number_uq' }).comment('居民身份证号, normalized (15-digit IDs upgraded)');
    t.text('name').notNullable();
    t.string('gender', 1).notNullable().comment('M | F, derived from the ID');
    t.date('birth_date').notNullable().comment('derived from the ID');
    provenance(t, knex);
  });

  await knex.schema.withSchema('province').createTable('insurance_spell', (t) => {
    t.comment('参保记录: a person insured through an employer from a start date');
    t.bigIncrements('id').primary({ constraintName: 'insurance_spell_pkey' });
    t.bigInteger('person_id').notNullable().references('id').inTable('province.person').withKeyName('insurance_spell_person_fk');
    t.bigInteger('employer_id').notNullable().references('id').inTable('province.employer').withKeyName('insurance_spell_employer_fk');
    t.date('start_date').notNullable();
    t.date('end_date').nullable();
    t.string('city_code', 6).notNullable();
    t.text('status').nullable().comment('provincial status code, where the mapping gives one');
    provenance(t, knex);
    t.unique(['person_id', 'employer_id', 'start_date'], { indexName: 'insurance_spell_natural_uq' });
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['insurance_spell', 'person', 'employer_city_key', 'employer', 'division']) {
    await knex.schema.withSchema('province').dropTable(table);
  }
}

import type { Knex } from 'knex';

/**
 * Agency feeds and nightly city syncs: where each feed stands (watermarks), what each run did,
 * inbound records de-duplicated by the agency record id, inbound exchange files by content hash,
 * the delivery bookkeeping the outbox needs beyond its own columns, and the provincial tables the
 * housing and work-safety feeds bring in.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('pipeline').createTable('feed_state', (t) => {
    t.comment('Where a feed or a live city source stands; the watermark moves only after what it covers is committed');
    t.text('feed_id').primary({ constraintName: 'feed_state_pkey' }).comment('feed id, or city sync id/live source');
    t.jsonb('watermark').nullable().comment('inbound: {cursor}; monthly outbound: {month}; live source: {columns, values}');
    t.jsonb('pending').nullable().comment('progress not yet promoted to the watermark: a live pull being loaded, the highest cursor committed by a pull in flight');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.withSchema('pipeline').createTable('feed_run', (t) => {
    t.comment('One run of a feed or city sync: when, for which nominal time, with what result');
    t.bigIncrements('id').primary({ constraintName: 'feed_run_pkey' });
    t.text('feed_id').notNullable();
    t.text('kind').notNullable().comment('feed | city_sync');
    t.text('workflow_id').notNullable();
    t.text('run_id').notNullable();
    t.timestamp('nominal_time', { useTz: true }).notNullable().comment('the scheduled time the run stands for (a back-filled night keeps its own)');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true }).nullable();
    t.text('status').notNullable().defaultTo('running').comment('running | succeeded | failed');
    t.jsonb('counts').notNullable().defaultTo('{}');
    t.text('error').nullable();
    t.unique(['workflow_id', 'run_id'], { indexName: 'feed_run_execution_uq' });
    t.index(['feed_id', 'status', 'finished_at'], 'feed_run_feed_status_idx');
  });
  await knex.raw(`ALTER TABLE pipeline.feed_run ADD CONSTRAINT feed_run_status_ck CHECK (status IN ('running','succeeded','failed'))`);

  await knex.schema.withSchema('pipeline').createTable('feed_inbound', (t) => {
    t.comment('Every inbound agency record once per agency record id; a re-sent record only counts as seen again');
    t.bigIncrements('id').primary({ constraintName: 'feed_inbound_pkey' });
    t.text('feed_id').notNullable();
    t.text('record_id').notNullable().comment('the agency record id');
    t.string('content_hash', 64).notNullable().comment('hash of the record as received: a changed record is a new revision');
    t.jsonb('payload').notNullable().comment('the record as received');
    t.boolean('valid').notNullable().comment('false: it failed the feed schema and waits in reasons for a person');
    t.jsonb('reasons').notNullable().defaultTo('[]');
    t.integer('revision').notNullable().defaultTo(1);
    t.integer('times_seen').notNullable().defaultTo(1);
    t.timestamp('handed_off_at', { useTz: true }).nullable().comment('when a workflow that takes the record over (finance receipts) confirmed it');
    t.timestamp('first_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['feed_id', 'record_id'], { indexName: 'feed_inbound_record_uq' });
  });

  await knex.schema.withSchema('pipeline').createTable('feed_file', (t) => {
    t.comment('Inbound exchange files read, by content hash: a re-sent file is not read twice');
    t.text('feed_id').notNullable();
    t.string('content_sha256', 64).notNullable();
    t.text('file_name').notNullable();
    t.integer('records').notNullable();
    t.timestamp('processed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['feed_id', 'content_sha256'], { constraintName: 'feed_file_pkey' });
  });

  // the outbox is the funds migration's; deliveries need a little more bookkeeping on it
  await knex.raw(`ALTER TABLE pipeline.outbox
    ADD COLUMN IF NOT EXISTS last_error text,
    ADD COLUMN IF NOT EXISTS delivered_at timestamptz,
    ADD COLUMN IF NOT EXISTS batch_ref text,
    ADD COLUMN IF NOT EXISTS ack_ref text,
    ADD COLUMN IF NOT EXISTS parked_at timestamptz`);
  await knex.raw(`COMMENT ON COLUMN pipeline.outbox.status IS 'pending | sent (written to an exchange directory, awaiting the agency acknowledgement) | acknowledged | parked'`);
  await knex.raw(`COMMENT ON COLUMN pipeline.outbox.batch_ref IS 'exchange-file deliveries: the file the row was claimed for, so a retried write rewrites the same file'`);
  await knex.raw('CREATE INDEX IF NOT EXISTS outbox_feed_status_idx ON pipeline.outbox (feed, status, next_attempt_at)');

  await knex.schema.withSchema('province').createTable('construction_project', (t) => {
    t.comment('建设项目 from the housing and construction feed: the basis of project-based insurance (按项目参保)');
    t.bigIncrements('id').primary({ constraintName: 'construction_project_pkey' });
    t.text('project_id').notNullable().unique({ indexName: 'construction_project_agency_id_uq' }).comment('the agency project id');
    t.text('permit_no').nullable().comment('施工许可证编号, once issued');
    t.text('name').notNullable();
    t.text('contractor_usc').nullable().comment('general contractor (总承包单位) unified social credit code');
    t.text('contractor_name').notNullable();
    t.bigInteger('contract_value_fen').notNullable();
    t.string('division_code', 6).notNullable().comment('where the project is');
    t.string('city_code', 6).notNullable();
    t.date('planned_start').nullable();
    t.date('enrolled_on').nullable().comment('项目参保登记 date, when the project is enrolled');
    t.bigInteger('premium_paid_fen').notNullable().defaultTo(0).comment('project premium paid so far');
    t.timestamp('agency_updated_at', { useTz: true }).nullable();
    t.bigInteger('inbound_id').notNullable().comment('pipeline.feed_inbound row that last wrote it (lineage)');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.withSchema('province').createTable('safety_accident', (t) => {
    t.comment('生产安全事故 reported by the work-safety authority (应急管理)');
    t.bigIncrements('id').primary({ constraintName: 'safety_accident_pkey' });
    t.text('report_id').notNullable().unique({ indexName: 'safety_accident_report_uq' }).comment('the agency report number');
    t.date('occurred_on').notNullable();
    t.string('division_code', 6).notNullable();
    t.string('city_code', 6).notNullable();
    t.text('employer_usc').nullable();
    t.text('employer_name').notNullable();
    t.integer('deaths').notNullable().defaultTo(0);
    t.integer('injuries').notNullable().defaultTo(0);
    t.text('summary').nullable();
    t.timestamp('agency_updated_at', { useTz: true }).nullable();
    t.bigInteger('inbound_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['occurred_on'], 'safety_accident_occurred_idx');
  });

  await knex.schema.withSchema('pipeline').createTable('accident_cross_check', (t) => {
    t.comment('Work-safety cross-check as of a day: casualty accidents without an injury case, cases citing unreported accidents');
    t.bigIncrements('id').primary({ constraintName: 'accident_cross_check_pkey' });
    t.text('feed_id').notNullable();
    t.date('as_of').notNullable();
    t.text('finding').notNullable().comment('accident_without_case | case_without_report');
    t.text('accident_report_id').nullable();
    t.text('injury_case_key').nullable();
    t.string('city_code', 6).nullable();
    t.jsonb('detail').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['feed_id', 'as_of'], 'accident_cross_check_feed_day_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.withSchema('pipeline').dropTable('accident_cross_check');
  await knex.schema.withSchema('province').dropTable('safety_accident');
  await knex.schema.withSchema('province').dropTable('construction_project');
  await knex.raw('DROP INDEX IF EXISTS pipeline.outbox_feed_status_idx');
  await knex.raw(`ALTER TABLE pipeline.outbox
    DROP COLUMN IF EXISTS last_error, DROP COLUMN IF EXISTS delivered_at, DROP COLUMN IF EXISTS batch_ref,
    DROP COLUMN IF EXISTS ack_ref, DROP COLUMN IF EXISTS parked_at`);
  for (const table of ['feed_file', 'feed_inbound', 'feed_run', 'feed_state']) await knex.schema.withSchema('pipeline').dropTable(table);
}

import type { Knex } from 'knex';

/**
 * Issue 15: landed rows get a b-tree primary key (stream_id, row_no) in place of the BRIN index.
 *
 * A BRIN index only knows the page ranges that have been summarized, and rows COPYed in after it
 * was made stay unsummarized until a VACUUM gets to them — so right after landing, which is when a
 * migration reads its rows back, the index matched every page and each batch read scanned the whole
 * landing table (every city's rows, not just the stream's). Without statistics the planner chose a
 * parallel sequential scan anyway. Measured with 1,000,000 landed rows: reading one 10,000-row
 * batch took 65 ms (sequential scan; 139 ms through the unsummarized BRIN index) and grew with the
 * table; through the b-tree it takes 4 ms whatever the table holds. The b-tree costs the COPY more
 * (2.1 s against 1.2 s for 1,000,000 rows), which the landing activity hides behind its parsing,
 * and states what landing_chunk already guarantees: a row lands once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS landing.raw_row_stream_row_brin');
  await knex.raw('ALTER TABLE landing.raw_row ADD CONSTRAINT raw_row_pkey PRIMARY KEY (stream_id, row_no)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE landing.raw_row DROP CONSTRAINT IF EXISTS raw_row_pkey');
  await knex.raw('CREATE INDEX IF NOT EXISTS raw_row_stream_row_brin ON landing.raw_row USING brin (stream_id, row_no) WITH (pages_per_range = 32)');
}

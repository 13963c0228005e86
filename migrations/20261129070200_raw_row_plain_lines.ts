import type { Knex } from 'knex';

/**
 * A CSV record read from a plain line (no quotes, no backslash, no control character) is landed
 * as the line itself with its delimiter: `cells` split on `delimiter` gives the cells exactly.
 * Writing the line costs the landing a fraction of encoding JSON, and reading it back is a split
 * instead of a JSON parse. Every other row keeps JSON array text, with `delimiter` null.
 * SQL that wants the cells as JSON uses landing.cells_json(cells, delimiter) for either form.
 */
/** string_to_array('', ',') is an empty array where the line '' is one empty cell. Exported: the
 * next migration's down restores it. */
export const CELLS_JSON_OF_LINES = `
  CREATE OR REPLACE FUNCTION landing.cells_json(cells text, delimiter text) RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
      WHEN delimiter IS NULL THEN cells::jsonb
      WHEN cells = '' THEN '[""]'::jsonb
      ELSE to_jsonb(string_to_array(cells, delimiter))
    END
  $$`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('landing').alterTable('raw_row', (t) => {
    t.text('delimiter').nullable().comment('null: cells is a JSON array; else cells is a plain CSV line and its cells are cells split on this');
  });
  await knex.raw(CELLS_JSON_OF_LINES);
  await knex.raw(`COMMENT ON FUNCTION landing.cells_json(text, text) IS 'The cells of a landed row as a JSON array, whichever form raw_row stores them in'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION landing.cells_json(text, text)');
  await knex.schema.withSchema('landing').alterTable('raw_row', (t) => {
    t.dropColumn('delimiter');
  });
}

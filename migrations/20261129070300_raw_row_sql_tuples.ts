import type { Knex } from 'knex';
import { CELLS_JSON_OF_LINES } from './20261129070200_raw_row_plain_lines';

/**
 * A third storage form of landed cells: a plain SQL tuple's decoded text — `(1,'王伟',NULL,-12.50)`,
 * strings without escapes or doubled quotes — with delimiter '(sql)' (src/extract/tuple-row.ts).
 * landing.cells_json reads it the way cellsOfPlainTuple does: strings as text, NULL as null,
 * numbers as numbers unless a double cannot hold them exactly (more than 15 significant digits:
 * then the literal's text, as sqlNumber does).
 */
const CELLS_JSON_WITH_TUPLES = `
  CREATE OR REPLACE FUNCTION landing.cells_json(cells text, delimiter text) RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
      WHEN delimiter IS NULL THEN cells::jsonb
      WHEN delimiter = '(sql)' THEN (
        SELECT coalesce(jsonb_agg(CASE
            WHEN m[1] IS NOT NULL THEN to_jsonb(m[1])
            WHEN m[2] = 'NULL' THEN 'null'::jsonb
            WHEN length(ltrim(regexp_replace(m[2], '[^0-9]', '', 'g'), '0')) > 15 THEN to_jsonb(m[2])
            ELSE to_jsonb(m[2]::numeric)
          END ORDER BY n), '[]'::jsonb)
        FROM regexp_matches(substr(cells, 2, length(cells) - 2), '''([^'']*)''|([^,'']+)', 'g') WITH ORDINALITY AS t(m, n))
      WHEN cells = '' THEN '[""]'::jsonb
      ELSE to_jsonb(string_to_array(cells, delimiter))
    END
  $$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(CELLS_JSON_WITH_TUPLES);
  await knex.raw(`COMMENT ON COLUMN landing.raw_row.delimiter IS 'null: cells is a JSON array; ''(sql)'': cells is a plain SQL tuple''s text; else cells is a plain line and its cells are cells split on this'`);
}

export async function down(knex: Knex): Promise<void> {
  // rows in the tuple form go back to JSON, which the older schema reads
  await knex.raw(`UPDATE landing.raw_row SET cells = landing.cells_json(cells, delimiter)::text, delimiter = NULL WHERE delimiter = '(sql)'`);
  await knex.raw(CELLS_JSON_OF_LINES);
  await knex.raw(`COMMENT ON COLUMN landing.raw_row.delimiter IS 'null: cells is a JSON array; else cells is a plain CSV line and its cells are cells split on this'`);
}

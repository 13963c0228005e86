/**
 * The set-based part of loading a batch: rows whose whole outcome is known without looking at
 * them one by one. A row qualifies when it stages a single record of the stream's entity, won its
 * stream's duplicate resolution, every reference it makes resolves to a record the province
 * already holds (by natural key, or by city legacy key within the source's city), and its final
 * natural key — an in-key city reference's token replaced by the referenced record's key
 * (natural-key.ts) — is neither in the province nor the key of any other record the batch writes.
 * Then the row-by-row rules of load-rows.ts would insert it, with the resolved ids in its reference
 * fields, and record it as loaded, and nothing else. One statement does exactly that inside the
 * database: the provincial records and, for an entity that keeps them, their city legacy keys,
 * without the rows travelling to the worker and back.
 *
 * Such a row stores no lineage: the record carries its row, and pipeline.record_lineage derives
 * the record's insert (migrations/20261207170100_lineage_on_provincial_rows.ts). It stores no
 * outcome either where its final key is its staged one: pipeline.row_outcomes derives it as loaded
 * (bookkeeping by exception, migrations/20261207170000_row_outcomes_by_exception.ts). A row whose
 * key changed (a contribution naming its employer by 单位编号) stores its `loaded` outcome with the
 * final key, in the same statement, as the row-by-row load would.
 *
 * Every other row is left to the row-by-row path: several records, duplicates, a reference that
 * does not resolve (or resolves only to a record this batch writes), a final key the province
 * already holds or that another row of the batch writes or that another load inserts first, and
 * anything unusual (references not of the shape the normalizer writes, more than one in-key city
 * reference, a resolved key the JavaScript replacement would treat specially). An entity that
 * keeps city legacy keys (employers) takes only rows without references, so its inserted records'
 * keys are their staged ones.
 *
 * Runs in the caller's transaction, before the row-by-row path, so those rows see these records
 * as loaded.
 */
import type { PoolClient } from 'pg';
import { ENTITY_TABLES, entityTable, PROVENANCE_COLUMNS, upsertCityKeysSql } from '../src/db/entities';

export interface NewRecordsInput {
  streamId: string;
  mappingVersionId: number;
  cityCode: string;
  /** the stream's primary entity: every single-record row of the stream stages one of these */
  entity: string;
  firstRow: number;
  lastRow: number;
}

const ident = (name: string): string => {
  if (!/^[a-z_][a-z0-9_.]*$/.test(name)) throw new Error(`not an identifier: ${name}`);
  return name;
};
const literal = (text: string): string => `'${ident(text)}'`;

/**
 * A reference `el.ref` resolved as load-rows.ts's ReferenceIndex resolves it, as `ARRAY[id, natural
 * key]` of the referenced record (null when it does not resolve): by natural key in the entity's
 * table, by city legacy key through the entity's city keys of city $6. Each a probe of a unique
 * index per reference (a scalar subquery is never made a join), so no plan can scan a table per row.
 */
function resolveSql(): string {
  const byKey = Object.entries(ENTITY_TABLES).map(
    ([entity, t]) => `WHEN ${literal(entity)} THEN (SELECT ARRAY[e.id::text, e.natural_key] FROM ${ident(t.table)} e WHERE e.natural_key = el.ref->>'value')`,
  );
  const byCity = Object.entries(ENTITY_TABLES)
    .filter(([, t]) => t.cityKey)
    .map(([entity, t]) => {
      const ck = t.cityKey!;
      return `WHEN ${literal(entity)} THEN (SELECT ARRAY[e.id::text, e.natural_key] FROM ${ident(t.table)} e
                  WHERE e.id = (SELECT k.${ident(ck.idColumn)} FROM ${ident(ck.table)} k WHERE k.city_code = $6 AND k.legacy_no = el.ref->>'value'))`;
    });
  return `CASE el.ref->>'by'
            WHEN 'natural_key' THEN CASE el.ref->>'entity' ${byKey.join(' ')} END
            ${byCity.length ? `WHEN 'city_key' THEN CASE el.ref->>'entity' ${byCity.join(' ')} END` : ''}
          END`;
}

/**
 * The statements for `entity`. Freshly staged rows have no statistics, so the planner takes
 * every list for one row; both statements are written so that no plan can turn quadratic: the
 * rows come from one scan of the range, what a row needs of the other rows is counted by windows
 * (its parts, the batch's records of its final key), never by a self-join; each reference is a
 * probe of a unique index; the outcomes are written from the inserted rows by probes of the staged
 * records' primary key; and the second statement finds the inserted rows by that primary key too.
 */
function newRecordsSql(entity: string): { insert: string; cityKeys?: string } {
  const t = entityTable(entity);
  const table = ident(t.table);
  const columns = t.columns.map(ident);
  const ck = t.cityKey;
  const insert = `
WITH staged AS (
  SELECT s.row_no, s.part, s.entity, s.decision, s.natural_key, s.content_hash, s.source_updated_at, s.payload,
         CASE WHEN jsonb_typeof(s.refs) = 'array' THEN s.refs END AS refs,
         count(*) OVER w AS parts,
         -- a row with a conflicting record or a primary record that lost writes nothing (load-rows.ts)
         bool_or(coalesce(s.decision, 'winner') = 'conflict' OR (s.part = 0 AND coalesce(s.decision, 'winner') <> 'winner')) OVER w AS writes_nothing
    FROM pipeline.staged_record s
   WHERE s.stream_id = $1 AND s.mapping_version_id = $2 AND s.row_no BETWEEN $3 AND $4
  WINDOW w AS (PARTITION BY s.row_no)
), resolved AS (
  SELECT s.*, NOT s.writes_nothing AND coalesce(s.decision, 'winner') <> 'superseded' AS writes, r.*
    FROM staged s CROSS JOIN LATERAL (
      SELECT count(*) AS refs_n,
             count(*) FILTER (WHERE x.hit IS NOT NULL) AS resolved_n,
             count(*) FILTER (WHERE NOT x.well_formed) AS malformed_n,
             count(DISTINCT x.ref->>'field') AS fields_n,
             count(*) FILTER (WHERE NOT (x.ref->>'field' = ANY (ARRAY[${columns.map(literal).join(', ')}]::text[]))) AS foreign_fields_n,
             count(*) FILTER (WHERE x.in_key) AS in_key_n,
             min('@' || (x.ref->>'entity') || ':' || (x.ref->>'value')) FILTER (WHERE x.in_key) AS token,
             min(x.hit[2]) FILTER (WHERE x.in_key) AS token_key,
             jsonb_object_agg(x.ref->>'field', x.hit[1]) FILTER (WHERE x.hit IS NOT NULL) AS ids
        FROM (SELECT el.ref,
                     coalesce(jsonb_typeof(el.ref) = 'object' AND jsonb_typeof(el.ref->'field') = 'string' AND jsonb_typeof(el.ref->'entity') = 'string'
                              AND jsonb_typeof(el.ref->'value') = 'string' AND el.ref->'by' IN ('"natural_key"', '"city_key"')
                              AND coalesce(jsonb_typeof(el.ref->'inKey'), 'null') IN ('null', 'boolean'), false) AS well_formed,
                     -- finalNaturalKey replaces the tokens of in-key city references only
                     coalesce(el.ref->'inKey' = 'true' AND el.ref->'by' = '"city_key"', false) AS in_key,
                     ${resolveSql()} AS hit
                -- OFFSET 0: each reference resolved once, not once per use of \`hit\` above
                FROM jsonb_array_elements(coalesce(s.refs, '[]')) AS el(ref) OFFSET 0) x
    ) r
), keyed AS (
  SELECT r.*,
         -- the key the row-by-row load stores the record under: the in-key token replaced (the first
         -- occurrence, as String.replace) once it resolves, else the staged key; null where this
         -- statement cannot tell (then no row of the batch goes this way)
         CASE WHEN r.refs IS NULL OR r.malformed_n > 0 OR r.in_key_n > 1 OR position('$' in coalesce(r.token_key, '')) > 0 THEN NULL
              WHEN r.token_key IS NOT NULL AND strpos(r.natural_key, r.token) > 0
                THEN overlay(r.natural_key placing r.token_key from strpos(r.natural_key, r.token) for length(r.token))
              ELSE r.natural_key END AS final_key
    FROM resolved r
), candidate AS (
  SELECT * FROM (
    SELECT k.*,
           count(*) FILTER (WHERE k.writes) OVER (PARTITION BY k.entity, k.final_key) AS writers,
           bool_or(k.writes AND k.entity = $5 AND k.final_key IS NULL) OVER () AS unknown_keys
      FROM keyed k) k
   WHERE k.parts = 1 AND k.part = 0 AND k.entity = $5 AND coalesce(k.decision, 'winner') = 'winner'
     AND k.final_key IS NOT NULL AND k.writers = 1 AND NOT k.unknown_keys
     AND k.resolved_n = k.refs_n AND k.fields_n = k.refs_n AND k.foreign_fields_n = 0${ck ? ' AND k.refs_n = 0' : ''}
), inserted AS (
  -- keys in order, as the row-by-row upsert takes them: concurrent loads lock in the same order
  INSERT INTO ${table} (${[...columns, ...PROVENANCE_COLUMNS].join(', ')})
  SELECT ${columns.map((c) => `r.${c}`).join(', ')}, c.final_key, c.content_hash, c.source_updated_at, $1, c.row_no, $2
    FROM candidate c CROSS JOIN LATERAL jsonb_populate_record(null::${table}, c.payload || coalesce(c.ids, '{}')) AS r
   ORDER BY c.final_key
  ON CONFLICT (natural_key) DO NOTHING
  RETURNING row_no, natural_key
), outcome AS (
  -- the outcome of a row whose key is not its staged one (the derived outcome would name the staged
  -- key): what the row-by-row load stores for it, its warnings each once in order
  INSERT INTO pipeline.row_outcome (stream_id, row_no, mapping_version_id, outcome, codes, warnings, entity, natural_key)
  SELECT $1, i.row_no, $2, 'loaded', '{}', ARRAY(SELECT w FROM unnest((i.s).warnings) WITH ORDINALITY AS u(w, n) GROUP BY w ORDER BY min(n)), $5, i.natural_key
    FROM (SELECT i.row_no, i.natural_key,
                 (SELECT s FROM pipeline.staged_record s WHERE s.stream_id = $1 AND s.mapping_version_id = $2 AND s.row_no = i.row_no AND s.part = 0) AS s
            FROM inserted i OFFSET 0) i
   WHERE (i.s).natural_key <> i.natural_key
)
SELECT row_no FROM inserted`;
  const field = ck ? ident(ck.payloadField) : '';
  // the city legacy keys of the inserted records (rows without references: their keys are the staged ones)
  const cityKeys = ck
    ? `
WITH inserted AS (
  SELECT row_no, natural_key, payload FROM pipeline.staged_record
   WHERE stream_id = $1 AND mapping_version_id = $2 AND row_no BETWEEN $3 AND $4 AND row_no = ANY($5::int[]) AND part = 0
)
${upsertCityKeysSql(
  { ...ck, table: ident(ck.table), idColumn: ident(ck.idColumn) },
  `SELECT DISTINCT ON (c.payload->>'${field}') $6, c.payload->>'${field}', e.id
    FROM inserted c JOIN ${table} e ON e.natural_key = c.natural_key
   WHERE c.payload ? '${field}' AND jsonb_typeof(c.payload->'${field}') <> 'null'
   ORDER BY c.payload->>'${field}', c.row_no DESC`,
)}`
    : undefined;
  return { insert, cityKeys };
}

const statements = new Map<string, { insert: string; cityKeys?: string }>();

/** Loads the rows of the range that qualify (see the module comment); returns their row numbers. */
export async function loadNewRecords(client: PoolClient, input: NewRecordsInput): Promise<number[]> {
  let sql = statements.get(input.entity);
  if (!sql) statements.set(input.entity, (sql = newRecordsSql(input.entity)));
  const res = await client.query(sql.insert, [input.streamId, input.mappingVersionId, input.firstRow, input.lastRow, input.entity, input.cityCode]);
  const rowNos = (res.rows as { row_no: number }[]).map((r) => r.row_no);
  if (rowNos.length && sql.cityKeys) await client.query(sql.cityKeys, [input.streamId, input.mappingVersionId, input.firstRow, input.lastRow, rowNos, input.cityCode]);
  return rowNos;
}

/**
 * The set-based part of loading a batch: rows whose whole outcome is known without looking at
 * them one by one. A row qualifies when it stages a single record, refers to nothing outside
 * itself, won its stream's duplicate resolution, and its natural key is not yet in the province —
 * then the row-by-row rules of load-rows.ts would insert it and record it as loaded, and nothing
 * else. One statement does exactly that inside the database: the provincial records and their
 * city legacy keys, without the rows travelling to the worker and back. Such a row stores no
 * outcome and no lineage: the record carries its row, and pipeline.row_outcomes derives the row as
 * loaded, pipeline.record_lineage the record as its insert (bookkeeping by exception,
 * migrations/20261207170000_row_outcomes_by_exception.ts, 20261207170100_lineage_on_provincial_rows.ts). Every other row (references, several records, duplicates, keys the province already
 * holds or that another load inserts first) is left to the row-by-row path.
 *
 * Runs in the caller's transaction, before the row-by-row path, so those rows see these records
 * as loaded.
 */
import type { PoolClient } from 'pg';
import { entityTable, PROVENANCE_COLUMNS, upsertCityKeysSql } from '../src/db/entities';

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

/**
 * The statements for `entity`. Freshly staged rows have no statistics, so the planner takes
 * every list for one row; both statements are written so that no plan can turn quadratic: the
 * candidates come from one scan of the range (their parts counted by a window, not a self-join),
 * and the second statement finds the inserted rows by the staged records' primary key.
 */
function newRecordsSql(entity: string): { insert: string; cityKeys?: string } {
  const t = entityTable(entity);
  const table = ident(t.table);
  const columns = t.columns.map(ident);
  // keys in order, as the row-by-row upsert takes them: concurrent loads lock in the same order
  const insert = `
WITH candidate AS (
  SELECT * FROM (
    SELECT s.row_no, s.part, s.entity, s.refs, s.decision, s.natural_key, s.content_hash, s.source_updated_at, s.payload,
           count(*) OVER (PARTITION BY s.row_no) AS parts
      FROM pipeline.staged_record s
     WHERE s.stream_id = $1 AND s.mapping_version_id = $2 AND s.row_no BETWEEN $3 AND $4) s
   WHERE s.parts = 1 AND s.part = 0 AND s.entity = $5 AND s.refs = '[]'::jsonb AND coalesce(s.decision, 'winner') = 'winner'
)
INSERT INTO ${table} (${[...columns, ...PROVENANCE_COLUMNS].join(', ')})
SELECT ${columns.map((c) => `r.${c}`).join(', ')}, c.natural_key, c.content_hash, c.source_updated_at, $1, c.row_no, $2
  FROM candidate c CROSS JOIN LATERAL jsonb_populate_record(null::${table}, c.payload) AS r
 ORDER BY c.natural_key
ON CONFLICT (natural_key) DO NOTHING
RETURNING row_no`;
  const ck = t.cityKey;
  const field = ck ? ident(ck.payloadField) : '';
  // the city legacy keys of the inserted records (the only other write: no outcome, no lineage)
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
  const res = await client.query(sql.insert, [input.streamId, input.mappingVersionId, input.firstRow, input.lastRow, input.entity]);
  const rowNos = (res.rows as { row_no: number }[]).map((r) => r.row_no);
  if (rowNos.length && sql.cityKeys) await client.query(sql.cityKeys, [input.streamId, input.mappingVersionId, input.firstRow, input.lastRow, rowNos, input.cityCode]);
  return rowNos;
}

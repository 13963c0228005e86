/**
 * The content of the provincial tables — and the bookkeeping that says where each row came from —
 * independent of surrogate ids and timestamps, so two runs can be compared row for row: a run
 * disturbed by crashes and restarts must leave exactly what an undisturbed run leaves.
 */
import type { Db } from '../../src/db/knex';

/** Surrogate keys, references by surrogate key and clocks differ between equal runs: a reference
 * to a record with a natural key is compared by that key instead. */
const VOLATILE = /^(id|.+_id|created_at|updated_at|decided_at|completed_at|at)$/;
const BOOKKEEPING = ['pipeline.row_outcomes', 'pipeline.record_lineage', 'pipeline.reject', 'pipeline.cross_city_person'];

export type Snapshot = Record<string, string[]>;

export async function provincialSnapshot(db: Db): Promise<Snapshot> {
  const province = (await db('information_schema.tables').where({ table_schema: 'province', table_type: 'BASE TABLE' }).pluck('table_name')) as string[];
  const snapshot: Snapshot = {};
  for (const table of [...province.map((t) => `province.${t}`), ...BOOKKEEPING].sort()) {
    const [schema, name] = table.split('.') as [string, string];
    const columns = (await db('information_schema.columns').where({ table_schema: schema, table_name: name }).orderBy('ordinal_position').pluck('column_name')) as string[];
    const kept = columns.filter((c) => !VOLATILE.test(c)).map((c) => `t.${c}`);
    // what a surrogate-key reference names: the referenced record's natural key, where it has one
    const { rows: refs } = (await db.raw(
      `SELECT a.attname AS col, c.confrelid::regclass::text AS target, fa.attname AS target_col
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.conrelid = ?::regclass AND cardinality(c.conkey) = 1
          AND EXISTS (SELECT 1 FROM pg_attribute n WHERE n.attrelid = c.confrelid AND n.attname = 'natural_key' AND NOT n.attisdropped)
        ORDER BY a.attnum`,
      [table],
    )) as { rows: { col: string; target: string; target_col: string }[] };
    const named = refs.map((r) => `(SELECT x.natural_key FROM ${r.target} x WHERE x.${r.target_col} = t.${r.col}) AS "${r.col}:natural_key"`);
    // a row's stream is known by its source file and sheet/table, not by the stream's id
    const origin = columns.includes('stream_id') ? ['f.source_key', 'f.version', 's.name AS stream'] : [];
    const { rows } = (await db.raw(
      `SELECT ${[...kept, ...named, ...origin].join(', ')} FROM ${table} t
       ${origin.length ? 'JOIN landing.stream s ON s.id = t.stream_id JOIN landing.source_file f ON f.id = s.source_file_id' : ''}`,
    )) as { rows: Record<string, unknown>[] };
    snapshot[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return snapshot;
}

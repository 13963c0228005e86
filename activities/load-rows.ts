/**
 * The load path of normalized rows, shared by batch loading (load-batch.ts) and by the retry of
 * reference rejects (retry-reference-rejects.ts): so a row that waited for its employer loads by
 * exactly the rules it would have loaded by in the first place.
 *
 * A row is atomic: every record it feeds is written, or none is and the row is rejected. Per row:
 * a within-stream conflict rejects it (`duplicate.conflict`); a duplicate or superseded primary
 * record is counted as such; otherwise each record is compared with what the province already
 * holds — identical content merges, newer content (a strictly later update timestamp, or a newer
 * version of the same source) updates, other differing content is a conflict — and references
 * must resolve to loaded records (`reference.*_missing`). Runs inside the caller's transaction;
 * writes the provincial records, the city legacy keys and the lineage, and returns what became of
 * each row for the caller to record.
 */
import type { PoolClient } from 'pg';
import { copyLines, copyText } from '../src/db/copy-rows';
import { ENTITY_TABLES, entityTable, PROVENANCE_COLUMNS, upsertCityKeysSql } from '../src/db/entities';
import { groupBy } from '../src/domain/normalize/group-by';
import { finalNaturalKey } from '../src/domain/normalize/natural-key';
import type { Reference } from '../src/domain/normalize/types';
import type { Reason } from '../src/domain/rules/result';
import { errorText, ROW_ERROR } from '../src/domain/normalize/row-error';
import { isRowDataError } from '../src/db/row-data-error';

export interface StagedPart {
  row_no: number;
  part: number;
  entity: string;
  natural_key: string;
  content_hash: string;
  source_updated_at: Date | null;
  refs: Reference[];
  warnings: string[];
  decision: 'winner' | 'duplicate' | 'superseded' | 'conflict';
  /** the payload as the JSON text the database holds: the upsert sends it back as it came, and
   * only the rows the load rejects parse it (for the stewards) */
  payload_json: string;
  /** the payload's city legacy key (an employer's 单位编号) for entities that keep one, else null */
  city_key: unknown;
}

/** Where the rows come from: their stream, mapping version, city and source file version. */
export interface LoadSource {
  streamId: string;
  mappingVersionId: number;
  cityCode: string;
  sourceKey: string;
  version: number;
}

export interface RowDecision {
  rowNo: number;
  outcome: 'loaded' | 'duplicate' | 'superseded' | 'rejected';
  codes: string[];
  reasons: Reason[];
  warnings: string[];
  entity: string;
  /** the primary record's natural key, final where its references resolved */
  naturalKey: string;
  /** rejected rows only: the primary record as normalized */
  normalized?: Record<string, unknown>;
  /** the references outside the row, to re-check later */
  refs: Reference[];
}

interface Existing {
  id: string;
  content_hash: string;
  source_updated_at: Date | null;
  source_key: string;
  version: number;
  /** the row that wrote the record (its provenance), and whether pipeline.lineage holds that write */
  stream_id: string;
  row_no: number;
  mapping_version_id: number;
  created_at: Date;
  in_lineage: boolean;
}

type Action = 'insert' | 'update' | 'merge';

/** One record a row wrote (or merged into); `before`: the record an update overwrites, when it was
 * in the province before this call */
interface Written {
  entity: string;
  key: string;
  rowNo: number;
  action: Action;
  before?: Existing;
}

const SEP = '\u0000';
export const REFERENCE_CODES = ['reference.employer_missing', 'reference.person_missing', 'reference.case_missing'] as const;
export const isReferenceCode = (code: string): boolean => code.startsWith('reference.');
const lineOf = (values: (string | number | null)[]): string => values.map((v) => (v === null ? '\\N' : copyText(String(v)))).join('\t') + '\n';

/**
 * Referenced records already loaded (or written earlier in this transaction): their ids and
 * natural keys, by natural key (national identifiers, province-wide) or by city legacy key
 * (within the source's city).
 */
export class ReferenceIndex {
  private readonly found = new Map<string, { id: string; key: string }>();
  private readonly asked = new Set<string>();

  constructor(
    private readonly client: PoolClient,
    private readonly cityCode: string,
  ) {}

  private static slot(ref: Pick<Reference, 'entity' | 'by' | 'value'>): string {
    return `${ref.by === 'city_key' ? 'city:' : ''}${ref.entity}${SEP}${ref.value}`;
  }

  async load(refs: readonly Reference[]): Promise<void> {
    const byKey = new Map<string, Set<string>>();
    const byCity = new Map<string, Set<string>>();
    for (const r of refs) {
      const slot = ReferenceIndex.slot(r);
      if (this.asked.has(slot)) continue;
      this.asked.add(slot);
      const target = r.by === 'city_key' ? byCity : byKey;
      if (!target.has(r.entity)) target.set(r.entity, new Set());
      target.get(r.entity)!.add(r.value);
    }
    for (const [entity, keys] of byKey) {
      const res = await this.client.query(`SELECT id, natural_key FROM ${entityTable(entity).table} WHERE natural_key = ANY($1)`, [[...keys]]);
      for (const r of res.rows as { id: string; natural_key: string }[]) this.set(entity, r.natural_key, String(r.id));
    }
    for (const [entity, keys] of byCity) {
      const t = entityTable(entity);
      const ck = t.cityKey;
      if (!ck) throw new Error(`entity ${entity} has no city keys`);
      const res = await this.client.query(
        `SELECT k.legacy_no, e.id, e.natural_key FROM ${ck.table} k JOIN ${t.table} e ON e.id = k.${ck.idColumn} WHERE k.city_code = $1 AND k.legacy_no = ANY($2)`,
        [this.cityCode, [...keys]],
      );
      for (const r of res.rows as { legacy_no: string; id: string; natural_key: string }[]) {
        this.found.set(ReferenceIndex.slot({ entity: entity as Reference['entity'], by: 'city_key', value: r.legacy_no }), { id: String(r.id), key: r.natural_key });
      }
    }
  }

  set(entity: string, naturalKey: string, id: string): void {
    this.found.set(`${entity}${SEP}${naturalKey}`, { id, key: naturalKey });
  }

  setCityKey(entity: string, legacyNo: string, id: string, naturalKey: string): void {
    this.found.set(`city:${entity}${SEP}${legacyNo}`, { id, key: naturalKey });
  }

  get(ref: Pick<Reference, 'entity' | 'by' | 'value'>): { id: string; key: string } | undefined {
    return this.found.get(ReferenceIndex.slot(ref));
  }

  /** The references among `refs` that do not resolve, as reasons. */
  missing(refs: readonly Reference[]): Reason[] {
    return refs.filter((r) => !this.get(r)).map((r) => ({ code: r.missingCode, field: r.field, detail: r.value }));
  }
}

async function existingRecords(client: PoolClient, entity: string, keys: string[]): Promise<Map<string, Existing>> {
  const res = await client.query(
    `SELECT t.id, t.natural_key, t.content_hash, t.source_updated_at, f.source_key, f.version, t.stream_id, t.row_no, t.mapping_version_id, t.created_at,
            EXISTS (SELECT 1 FROM pipeline.lineage l WHERE l.entity = $2 AND l.natural_key = t.natural_key
                       AND l.stream_id = t.stream_id AND l.row_no = t.row_no AND l.mapping_version_id = t.mapping_version_id) AS in_lineage
       FROM ${entityTable(entity).table} t JOIN landing.stream s ON s.id = t.stream_id JOIN landing.source_file f ON f.id = s.source_file_id
      WHERE t.natural_key = ANY($1)`,
    [keys, entity],
  );
  return new Map(res.rows.map((r: Existing & { natural_key: string }) => [r.natural_key, r]));
}

const byWriteOrder = (a: { entity: string }, b: { entity: string }) => ENTITY_TABLES[a.entity]!.order - ENTITY_TABLES[b.entity]!.order;

/**
 * Upserts the records of `entity` that `parts` (its staged parts, in write order; the last part of
 * a key wins) write: each its staged payload as the database gave it (JSON text, not parsed and
 * re-written here) with the reference ids and provenance over it. Records go in key order, so
 * concurrent loads of several cities take row locks in the same order (no deadlocks). Returns the
 * rows written, with their ids.
 */
async function upsertRecords(client: PoolClient, source: LoadSource, entity: string, parts: readonly StagedPart[], keyOf: ReadonlyMap<StagedPart, string>, index: ReferenceIndex): Promise<{ id: string; natural_key: string }[]> {
  const t = entityTable(entity);
  const latest = new Map<string, StagedPart>();
  for (const w of parts) latest.set(keyOf.get(w)!, w);
  const ordered = [...latest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const items: string[] = [];
  for (const [key, p] of ordered) {
    // what the record takes besides the payload's columns; it wins over same-named payload fields
    const over: Record<string, unknown> = {};
    for (const ref of p.refs) over[ref.field] = index.get(ref)?.id ?? null;
    over.natural_key = key;
    over.content_hash = p.content_hash;
    over.source_updated_at = p.source_updated_at;
    over.stream_id = source.streamId;
    over.row_no = p.row_no;
    over.mapping_version_id = source.mappingVersionId;
    items.push(`{"p":${p.payload_json},"o":${JSON.stringify(over)}}`);
  }
  const cols = [...t.columns, ...PROVENANCE_COLUMNS];
  const res = await client.query(
    `INSERT INTO ${t.table} (${cols.join(', ')})
     SELECT ${cols.map((c) => `r.${c}`).join(', ')}
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(x, ord)
       CROSS JOIN LATERAL jsonb_populate_record(null::${t.table}, (e.x->'p') || (e.x->'o')) AS r
      ORDER BY e.ord
     ON CONFLICT (natural_key) DO UPDATE SET ${cols.filter((c) => c !== 'natural_key').map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = now()
     RETURNING id, natural_key`,
    [`[${items.join(',')}]`],
  );
  return res.rows as { id: string; natural_key: string }[];
}

/** The warnings of a row's parts, each once, in order. */
function rowWarnings(parts: readonly StagedPart[]): string[] {
  if (parts.length === 1) return parts[0]!.warnings.length < 2 ? parts[0]!.warnings : [...new Set(parts[0]!.warnings)];
  return [...new Set(parts.flatMap((p) => p.warnings))];
}

/**
 * The lineage rows of what a call wrote (lineage on the provincial row,
 * migrations/20261207170100_lineage_on_provincial_rows.ts): a record carries the row that wrote
 * it, so an insert is stored only when a later row of this call overwrites it; an update that
 * overwrites a record's insert stores that insert first (with the record's own time), so no write is
 * lost from pipeline.record_lineage. Merges, updates and supersessions are always stored.
 */
async function writeLineage(client: PoolClient, source: LoadSource, lineage: string[], written: readonly Written[]): Promise<void> {
  const finalWriter = new Map<string, number>();
  for (const w of written) if (w.action !== 'merge') finalWriter.set(`${w.entity}${SEP}${w.key}`, w.rowNo);
  const overwritten: Record<string, unknown>[] = [];
  for (const w of written) {
    if (w.action === 'insert' && finalWriter.get(`${w.entity}${SEP}${w.key}`) === w.rowNo) continue;
    const e = w.before;
    if (e && !e.in_lineage) overwritten.push({ entity: w.entity, natural_key: w.key, stream_id: e.stream_id, row_no: e.row_no, mapping_version_id: e.mapping_version_id, created_at: e.created_at });
    lineage.push(lineOf([w.entity, w.key, source.streamId, w.rowNo, source.mappingVersionId, w.action]));
  }
  if (overwritten.length) {
    await client.query(
      `INSERT INTO pipeline.lineage (entity, natural_key, stream_id, row_no, mapping_version_id, action, at)
       SELECT x.entity, x.natural_key, x.stream_id, x.row_no, x.mapping_version_id, 'insert', x.created_at
         FROM json_to_recordset($1::json) AS x(entity text, natural_key text, stream_id bigint, row_no int, mapping_version_id int, created_at timestamptz)`,
      [JSON.stringify(overwritten)],
    );
  }
  if (lineage.length) await copyLines(client, 'pipeline.lineage', ['entity', 'natural_key', 'stream_id', 'row_no', 'mapping_version_id', 'action'], lineage);
}

/** Loads the staged rows `rows` (row number → its parts); see the module comment. */
export async function loadStagedRows(client: PoolClient, source: LoadSource, rows: ReadonlyMap<number, StagedPart[]>): Promise<RowDecision[]> {
  const all = [...rows.values()].flat();
  const index = new ReferenceIndex(client, source.cityCode);
  await index.load(all.flatMap((p) => p.refs));

  // the key each part is stored under: city references inside it replaced by what they name
  const keyOf = new Map<StagedPart, string>();
  for (const p of all) keyOf.set(p, p.refs.length ? (finalNaturalKey(p.natural_key, p.refs, (ref) => index.get(ref)?.key) ?? p.natural_key) : p.natural_key);
  const existing = new Map<string, Map<string, Existing>>();
  for (const [entity, parts] of groupBy(all, (p) => p.entity)) existing.set(entity, await existingRecords(client, entity, parts.map((p) => keyOf.get(p)!)));

  // records already in the province: merged ones need their ids for legacy keys
  for (const [entity, byKey] of existing) for (const [key, e] of byKey) index.set(entity, key, String(e.id));

  const isNewer = (p: StagedPart, e: Existing) =>
    (p.source_updated_at !== null && e.source_updated_at !== null && p.source_updated_at > e.source_updated_at) ||
    (e.source_key === source.sourceKey && source.version > e.version);
  const inRow = (parts: readonly StagedPart[], ref: Reference) => parts.some((q) => q.entity === ref.entity && keyOf.get(q) === ref.value);

  const decisions: RowDecision[] = [];
  const lineage: string[] = [];
  /** what the rows wrote, in order: the lineage rows are picked from it at the end */
  const written: Written[] = [];
  const writes: StagedPart[] = [];
  /** records this call writes, so later rows see them */
  const pending = new Map<string, StagedPart>();
  const loadedParts: StagedPart[] = [];

  for (const [rowNo, parts] of rows) {
    const primary = parts.find((p) => p.part === 0)!;
    const warnings = rowWarnings(parts);
    const base = [source.streamId, rowNo, source.mappingVersionId] as const;
    const outside: Reference[] = [];
    for (const p of parts) for (const r of p.refs) if (!inRow(parts, r)) outside.push(r);
    const decision = { rowNo, outcome: 'loaded' as RowDecision['outcome'], codes: [] as string[], reasons: [] as Reason[], warnings, entity: primary.entity, naturalKey: keyOf.get(primary)!, refs: outside };
    const reject = (reasons: Reason[]) => {
      const normalized = JSON.parse(primary.payload_json) as Record<string, unknown>;
      decisions.push({ ...decision, outcome: 'rejected', codes: [...new Set(reasons.map((r) => r.code))], reasons, normalized });
    };

    if (parts.some((p) => p.decision === 'conflict')) {
      reject([{ code: 'duplicate.conflict', detail: 'same key, different content in this source' }, ...index.missing(outside)]);
      continue;
    }
    if (primary.decision !== 'winner') {
      const outcome = primary.decision === 'duplicate' ? 'duplicate' : 'superseded';
      decisions.push({ ...decision, outcome });
      lineage.push(lineOf([primary.entity, keyOf.get(primary)!, ...base, outcome === 'duplicate' ? 'merge' : 'supersede']));
      continue;
    }
    const reasons: Reason[] = [];
    const rowWrites: { part: StagedPart; action: Action }[] = [];
    // referenced entities first: they are what the primary record refers to
    for (const p of parts.length > 1 ? [...parts].sort(byWriteOrder) : parts) {
      if (p.decision === 'superseded') continue;
      for (const ref of p.refs) {
        const known = index.get(ref) || (ref.by === 'natural_key' && pending.has(`${ref.entity}${SEP}${ref.value}`));
        if (!inRow(parts, ref) && !known) reasons.push({ code: ref.missingCode, field: ref.field, detail: ref.value });
      }
      const key = keyOf.get(p)!;
      const e = existing.get(p.entity)?.get(key);
      const queued = pending.get(`${p.entity}${SEP}${key}`);
      if (queued) rowWrites.push({ part: p, action: queued.content_hash === p.content_hash ? 'merge' : 'update' });
      else if (!e) rowWrites.push({ part: p, action: 'insert' });
      else if (e.content_hash === p.content_hash) rowWrites.push({ part: p, action: 'merge' });
      else if (isNewer(p, e)) rowWrites.push({ part: p, action: 'update' });
      else reasons.push({ code: 'duplicate.conflict', field: p.entity, detail: 'differs from the record already loaded from another source' });
    }
    if (reasons.length) {
      reject(reasons);
      continue;
    }
    decisions.push(decision);
    for (const w of rowWrites) {
      const key = keyOf.get(w.part)!;
      written.push({ entity: w.part.entity, key, rowNo, action: w.action, before: w.action === 'update' && !pending.has(`${w.part.entity}${SEP}${key}`) ? existing.get(w.part.entity)?.get(key) : undefined });
      loadedParts.push(w.part);
      if (w.action !== 'merge') {
        writes.push(w.part);
        pending.set(`${w.part.entity}${SEP}${key}`, w.part);
      }
    }
  }

  // upserts entity by entity, referenced entities first, filling reference ids as they appear
  const writesByEntity = groupBy(writes, (w) => w.entity);
  for (const entity of [...writesByEntity.keys()].sort((a, b) => byWriteOrder({ entity: a }, { entity: b }))) {
    for (const r of await upsertRecords(client, source, entity, writesByEntity.get(entity)!, keyOf, index)) index.set(entity, r.natural_key, String(r.id));
  }

  // legacy keys (单位编号) of every loaded record that has one, merged ones included
  const cityKeys = new Map<string, Map<string, { legacy_no: string; id: string }>>();
  for (const p of loadedParts) {
    const ck = ENTITY_TABLES[p.entity]?.cityKey;
    const legacy = ck ? p.city_key : undefined;
    if (!ck || legacy === undefined || legacy === null) continue;
    const id = index.get({ entity: p.entity as Reference['entity'], by: 'natural_key', value: keyOf.get(p)! })!.id;
    if (!cityKeys.has(p.entity)) cityKeys.set(p.entity, new Map());
    cityKeys.get(p.entity)!.set(String(legacy), { legacy_no: String(legacy), id });
    index.setCityKey(p.entity, String(legacy), id, keyOf.get(p)!);
  }
  for (const [entity, keys] of cityKeys) {
    await client.query(upsertCityKeysSql(entityTable(entity).cityKey!, 'SELECT $1, k.legacy_no, k.id FROM json_to_recordset($2::json) AS k(legacy_no text, id bigint)'), [
      source.cityCode,
      JSON.stringify([...keys.values()]),
    ]);
  }
  await writeLineage(client, source, lineage, written);
  return decisions;
}

/**
 * `whole()` (a load of many rows at once) under a savepoint; when it fails on some row's data (see
 * isRowDataError) it is undone and `oneByOne()` runs instead — typically loadRowsOneByOne, where
 * only the rows that fail are rejected. Other errors fail the caller's transaction as before.
 */
export async function orRowByRow<T>(client: PoolClient, whole: () => Promise<T>, oneByOne: (err: unknown) => Promise<T>): Promise<T> {
  await client.query('SAVEPOINT load_rows');
  try {
    const result = await whole();
    await client.query('RELEASE SAVEPOINT load_rows');
    return result;
  } catch (err) {
    if (!isRowDataError(err)) throw err;
    await client.query('ROLLBACK TO SAVEPOINT load_rows');
    return oneByOne(err);
  }
}

/**
 * The rows loaded one at a time, each under its own savepoint: the fallback of a batch whose load
 * failed on some row's data (see isRowDataError). A row that fails again is rolled back alone and
 * rejected `internal.row_error` with the message; the others load exactly as they would have.
 */
export async function loadRowsOneByOne(client: PoolClient, source: LoadSource, rows: ReadonlyMap<number, StagedPart[]>): Promise<RowDecision[]> {
  const decisions: RowDecision[] = [];
  for (const [rowNo, parts] of rows) {
    await client.query('SAVEPOINT load_row');
    try {
      decisions.push(...(await loadStagedRows(client, source, new Map([[rowNo, parts]]))));
      await client.query('RELEASE SAVEPOINT load_row');
    } catch (err) {
      if (!isRowDataError(err)) throw err;
      await client.query('ROLLBACK TO SAVEPOINT load_row');
      decisions.push(rowErrorDecision(rowNo, parts, err));
    }
  }
  return decisions;
}

function rowErrorDecision(rowNo: number, parts: readonly StagedPart[], err: unknown): RowDecision {
  const primary = parts.find((p) => p.part === 0) ?? parts[0]!;
  let normalized: Record<string, unknown> | undefined;
  try {
    normalized = JSON.parse(primary.payload_json) as Record<string, unknown>;
  } catch {
    normalized = undefined;
  }
  const reasons: Reason[] = [{ code: ROW_ERROR, detail: errorText(err) }];
  return { rowNo, outcome: 'rejected', codes: [ROW_ERROR], reasons, warnings: rowWarnings(parts), entity: primary.entity, naturalKey: primary.natural_key, normalized, refs: [] };
}

/** The source of a stream, as the loader needs it. */
export async function loadSourceOf(client: PoolClient, streamId: string, mappingVersionId: number): Promise<LoadSource> {
  const res = await client.query(
    `SELECT f.source_key, f.version, f.city_code FROM landing.stream s JOIN landing.source_file f ON f.id = s.source_file_id WHERE s.id = $1`,
    [streamId],
  );
  const r = res.rows[0] as { source_key: string; version: number; city_code: string } | undefined;
  if (!r) throw new Error(`stream ${streamId} not found`);
  return { streamId, mappingVersionId, cityCode: r.city_code, sourceKey: r.source_key, version: r.version };
}

/** The payload field of each entity's city legacy key, as SQL (jsonb, or null for the others). */
const CITY_KEY_SQL = (() => {
  const whens = Object.entries(ENTITY_TABLES)
    .filter(([, t]) => t.cityKey)
    .map(([entity, t]) => `WHEN '${entity}' THEN payload->'${t.cityKey!.payloadField}'`);
  return whens.length ? `CASE entity ${whens.join(' ')} END` : 'NULL::jsonb';
})();

/** The staged parts of particular rows of a stream (a range without the rows in `except`), by row. A record without a stored decision in a resolved stream is the
 * only one of its key, the winner (resolve-duplicates.ts); before resolution its decision is null. */
export async function stagedRows(
  client: PoolClient,
  streamId: string,
  mappingVersionId: number,
  range: { firstRow: number; lastRow: number; except?: readonly number[] } | { rowNos: number[] },
): Promise<Map<number, StagedPart[]>> {
  const where = 'rowNos' in range ? 'row_no = ANY($3)' : `row_no BETWEEN $3 AND $4${range.except?.length ? ' AND NOT (row_no = ANY($5))' : ''}`;
  const params =
    'rowNos' in range
      ? [streamId, mappingVersionId, range.rowNos]
      : [streamId, mappingVersionId, range.firstRow, range.lastRow, ...(range.except?.length ? [range.except] : [])];
  const res = await client.query(
    `SELECT row_no, part, entity, natural_key, content_hash, source_updated_at, payload::text AS payload_json, refs, warnings,
            coalesce(decision, (SELECT 'winner' FROM pipeline.duplicate_resolution WHERE stream_id = $1 AND mapping_version_id = $2)) AS decision,
            ${CITY_KEY_SQL} AS city_key
       FROM pipeline.staged_record WHERE stream_id = $1 AND mapping_version_id = $2 AND ${where} ORDER BY row_no, part`,
    params,
  );
  return groupBy(res.rows as StagedPart[], (p) => p.row_no);
}

/**
 * After a reference resolved: the reasons of a reject with the resolved reference reasons taken
 * out and the still-missing ones kept. A reference reason that names no reference (a row without
 * any employer) never goes away by itself.
 */
export function withoutResolvedReferences(reasons: readonly Reason[], refs: readonly Reference[], index: Pick<ReferenceIndex, 'get'>): Reason[] {
  return reasons.filter((r) => {
    if (!isReferenceCode(r.code)) return true;
    const ref = refs.find((x) => x.missingCode === r.code && x.field === r.field && x.value === r.detail);
    return !ref || !index.get(ref);
  });
}

/** Reasons of `extra` not yet among `reasons` (a reference reason is added once). */
export function mergeReasons(reasons: readonly Reason[], extra: readonly Reason[]): Reason[] {
  const seen = new Set(reasons.map((r) => `${r.code}${SEP}${r.field ?? ''}${SEP}${r.detail ?? ''}`));
  return [...reasons, ...extra.filter((r) => !seen.has(`${r.code}${SEP}${r.field ?? ''}${SEP}${r.detail ?? ''}`))];
}

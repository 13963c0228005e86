/**
 * Loading one batch of normalized rows into the provincial tables, in one transaction with its
 * row outcomes, lineage, rejects and completion marker (exactly once).
 *
 * A row is atomic: every record it feeds is written, or none is and the row is rejected. Per row:
 * a within-stream conflict rejects it (`duplicate.conflict`); a duplicate or superseded primary
 * record is counted as such; otherwise each record is compared with what the province already
 * holds — identical content merges, newer content (a strictly later update timestamp, or a newer
 * version of the same source) updates, other differing content is a conflict — and references
 * must resolve to loaded records (`reference.*_missing`).
 */
import type { PoolClient } from 'pg';
import { copyLines, copyText } from '../src/db/copy-rows';
import { ENTITY_TABLES, entityTable } from '../src/db/entities';
import { withPgTransaction } from '../src/db/transaction';
import type { Reason } from '../src/domain/rules/result';
import type { Reference } from '../src/domain/normalize/types';
import { pickFields } from '../src/domain/normalize/normalize-row';
import type { RawRow } from '../src/extract/types';
import type { StreamContext } from '../src/pipeline-context';
import type { ActivityDeps } from './deps';

export interface LoadBatchInput {
  streamId: string;
  sourceId: string;
  mappingVersionId: number;
  firstRow: number;
  lastRow: number;
}

export interface LoadCounts {
  loaded: number;
  rejected: number;
  duplicates: number;
  superseded: number;
  alreadyDone: boolean;
}

interface StagedPart {
  row_no: number;
  part: number;
  entity: string;
  natural_key: string;
  content_hash: string;
  source_updated_at: Date | null;
  payload: Record<string, unknown>;
  refs: Reference[];
  warnings: string[];
  decision: 'winner' | 'duplicate' | 'superseded' | 'conflict';
}

interface Existing {
  id: string;
  content_hash: string;
  source_updated_at: Date | null;
  source_key: string;
  version: number;
}

type Write = { part: StagedPart; action: 'insert' | 'update' | 'merge' };

const pgArray = (items: readonly string[]): string => `{${items.map((i) => `"${i.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
const line = (values: (string | number | null)[]): string => values.map((v) => (v === null ? '\\N' : copyText(String(v)))).join('\t') + '\n';
const refKey = (entity: string, key: string) => `${entity}\u0000${key}`;

export function createLoadBatch({ db }: ActivityDeps, streamContext: (streamId: string, mvId: number, sourceId: string) => Promise<StreamContext>) {
  async function existingRecords(client: PoolClient, entity: string, keys: string[]): Promise<Map<string, Existing>> {
    const { table } = entityTable(entity);
    const res = await client.query(
      `SELECT t.id, t.natural_key, t.content_hash, t.source_updated_at, f.source_key, f.version
         FROM ${table} t JOIN landing.stream s ON s.id = t.stream_id JOIN landing.source_file f ON f.id = s.source_file_id
        WHERE t.natural_key = ANY($1)`,
      [keys],
    );
    return new Map(res.rows.map((r: Existing & { natural_key: string }) => [r.natural_key, r]));
  }

  /** Ids of referenced records that are already loaded, by natural key or by city legacy key. */
  async function resolveRefs(client: PoolClient, cityCode: string, refs: Reference[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const byEntity = new Map<string, Set<string>>();
    const cityKeys = new Map<string, Set<string>>();
    for (const r of refs) {
      const target = r.by === 'city_key' ? cityKeys : byEntity;
      if (!target.has(r.entity)) target.set(r.entity, new Set());
      target.get(r.entity)!.add(r.value);
    }
    for (const [entity, keys] of byEntity) {
      const res = await client.query(`SELECT id, natural_key FROM ${entityTable(entity).table} WHERE natural_key = ANY($1)`, [[...keys]]);
      for (const r of res.rows) found.set(refKey(entity, r.natural_key), String(r.id));
    }
    for (const [entity, keys] of cityKeys) {
      const ck = entityTable(entity).cityKey;
      if (!ck) throw new Error(`entity ${entity} has no city keys`);
      const res = await client.query(`SELECT ${ck.idColumn} AS id, legacy_no FROM ${ck.table} WHERE city_code = $1 AND legacy_no = ANY($2)`, [cityCode, [...keys]]);
      for (const r of res.rows) found.set(refKey(`city:${entity}`, r.legacy_no), String(r.id));
    }
    return found;
  }

  return async function loadBatch(input: LoadBatchInput): Promise<LoadCounts> {
    const counts: LoadCounts = { loaded: 0, rejected: 0, duplicates: 0, superseded: 0, alreadyDone: false };
    const source = await db('landing.stream as s')
      .join('landing.source_file as f', 'f.id', 's.source_file_id')
      .where('s.id', input.streamId)
      .first('f.source_key', 'f.version', 'f.city_code');

    return withPgTransaction(db, async (client) => {
      // the marker check inside the transaction, under a lock on the batch, so two attempts of one
      // batch running at once (a timed-out attempt still alive) cannot both write
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`load/${input.streamId}/${input.mappingVersionId}/${input.firstRow}`]);
      const done = await client.query(
        'SELECT 1 FROM pipeline.load_batch WHERE stream_id = $1 AND mapping_version_id = $2 AND phase = $3 AND first_row = $4',
        [input.streamId, input.mappingVersionId, 'load', input.firstRow],
      );
      if (done.rowCount) return { ...counts, alreadyDone: true };

      const staged: StagedPart[] = (
        await client.query(
          `SELECT row_no, part, entity, natural_key, content_hash, source_updated_at, payload, refs, warnings, decision
             FROM pipeline.staged_record
            WHERE stream_id = $1 AND mapping_version_id = $2 AND row_no BETWEEN $3 AND $4
            ORDER BY row_no, part`,
          [input.streamId, input.mappingVersionId, input.firstRow, input.lastRow],
        )
      ).rows;
      if (staged.some((p) => p.decision === null)) throw new Error(`stream ${input.streamId}: duplicates not resolved before loading`);

      const rows = new Map<number, StagedPart[]>();
      for (const p of staged) rows.set(p.row_no, [...(rows.get(p.row_no) ?? []), p]);
      const keysByEntity = new Map<string, string[]>();
      for (const p of staged) keysByEntity.set(p.entity, [...(keysByEntity.get(p.entity) ?? []), p.natural_key]);
      const existing = new Map<string, Map<string, Existing>>();
      for (const [entity, keys] of keysByEntity) existing.set(entity, await existingRecords(client, entity, keys));
      const refIds = await resolveRefs(client, source.city_code, staged.flatMap((p) => p.refs));

      const outcomes: string[] = [];
      const lineage: string[] = [];
      const rejects: Record<string, unknown>[] = [];
      const writes: Write[] = [];
      /** records this batch will write, so later rows of the batch see them */
      const pending = new Map<string, StagedPart>();

      const isNewer = (p: StagedPart, e: Existing) =>
        (p.source_updated_at !== null && e.source_updated_at !== null && p.source_updated_at > e.source_updated_at) ||
        (e.source_key === source.source_key && source.version > e.version);

      for (const [rowNo, parts] of rows) {
        const primary = parts.find((p) => p.part === 0)!;
        const warnings = [...new Set(parts.flatMap((p) => p.warnings))];
        const base = [input.streamId, rowNo, input.mappingVersionId];
        const reasons: Reason[] = [];
        if (parts.some((p) => p.decision === 'conflict')) reasons.push({ code: 'duplicate.conflict', detail: 'same key, different content in this source' });
        if (!reasons.length && primary.decision !== 'winner') {
          const outcome = primary.decision === 'duplicate' ? 'duplicate' : 'superseded';
          counts[outcome === 'duplicate' ? 'duplicates' : 'superseded']++;
          outcomes.push(line([...base, outcome, '{}', pgArray(warnings), primary.entity, primary.natural_key]));
          lineage.push(line([primary.entity, primary.natural_key, ...base, outcome === 'duplicate' ? 'merge' : 'supersede']));
          continue;
        }
        const rowWrites: Write[] = [];
        if (!reasons.length) {
          // secondary parts (higher numbers) first: they are what the primary record refers to
          for (const p of [...parts].sort((a, b) => ENTITY_TABLES[a.entity]!.order - ENTITY_TABLES[b.entity]!.order)) {
            if (p.decision === 'superseded') continue;
            for (const ref of p.refs) {
              const inRow = parts.some((q) => q.entity === ref.entity && q.natural_key === ref.value);
              const known = ref.by === 'city_key' ? refIds.has(refKey(`city:${ref.entity}`, ref.value)) : refIds.has(refKey(ref.entity, ref.value)) || pending.has(refKey(ref.entity, ref.value));
              if (!inRow && !known) reasons.push({ code: ref.missingCode, field: ref.field, detail: ref.value });
            }
            const e = existing.get(p.entity)?.get(p.natural_key);
            const queued = pending.get(refKey(p.entity, p.natural_key));
            if (queued) rowWrites.push({ part: p, action: queued.content_hash === p.content_hash ? 'merge' : 'update' });
            else if (!e) rowWrites.push({ part: p, action: 'insert' });
            else if (e.content_hash === p.content_hash) rowWrites.push({ part: p, action: 'merge' });
            else if (isNewer(p, e)) rowWrites.push({ part: p, action: 'update' });
            else reasons.push({ code: 'duplicate.conflict', field: p.entity, detail: 'differs from the record already loaded from another source' });
          }
        }
        if (reasons.length) {
          counts.rejected++;
          const codes = [...new Set(reasons.map((r) => r.code))];
          outcomes.push(line([...base, 'rejected', pgArray(codes), pgArray(warnings), primary.entity, primary.natural_key]));
          rejects.push({ rowNo, entity: primary.entity, codes, reasons, normalized: primary.payload });
          continue;
        }
        counts.loaded++;
        outcomes.push(line([...base, 'loaded', '{}', pgArray(warnings), primary.entity, primary.natural_key]));
        for (const w of rowWrites) {
          lineage.push(line([w.part.entity, w.part.natural_key, ...base, w.action]));
          if (w.action !== 'merge') {
            pending.set(refKey(w.part.entity, w.part.natural_key), w.part);
            writes.push(w);
          }
        }
      }

      // upserts entity by entity, referenced entities first, filling reference ids as they appear
      const entities = [...new Set(writes.map((w) => w.part.entity))].sort((a, b) => ENTITY_TABLES[a]!.order - ENTITY_TABLES[b]!.order);
      for (const entity of entities) {
        const t = entityTable(entity);
        const latest = new Map<string, StagedPart>();
        for (const w of writes) if (w.part.entity === entity) latest.set(w.part.natural_key, w.part); // last write of a key in the batch wins
        const records = [...latest.values()].map((p) => {
          const rec: Record<string, unknown> = {};
          for (const c of t.columns) rec[c] = p.payload[c] ?? null;
          for (const ref of p.refs) {
            rec[ref.field] = ref.by === 'city_key' ? refIds.get(refKey(`city:${ref.entity}`, ref.value)) : refIds.get(refKey(ref.entity, ref.value));
          }
          return {
            ...rec,
            natural_key: p.natural_key,
            content_hash: p.content_hash,
            source_updated_at: p.source_updated_at,
            stream_id: input.streamId,
            row_no: p.row_no,
            mapping_version_id: input.mappingVersionId,
          };
        });
        const cols = [...t.columns, 'natural_key', 'content_hash', 'source_updated_at', 'stream_id', 'row_no', 'mapping_version_id'];
        const res = await client.query(
          `INSERT INTO ${t.table} (${cols.join(', ')})
           SELECT ${cols.join(', ')} FROM json_populate_recordset(null::${t.table}, $1::json)
           ON CONFLICT (natural_key) DO UPDATE SET ${cols.filter((c) => c !== 'natural_key').map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = now()
           RETURNING id, natural_key`,
          [JSON.stringify(records)],
        );
        for (const r of res.rows) refIds.set(refKey(entity, r.natural_key), String(r.id));
        if (t.cityKey) {
          const ck = t.cityKey;
          const keys = [...latest.values()]
            .filter((p) => p.payload[ck.payloadField] !== undefined && p.payload[ck.payloadField] !== null)
            .map((p) => ({ city_code: source.city_code, legacy_no: String(p.payload[ck.payloadField]), [ck.idColumn]: refIds.get(refKey(entity, p.natural_key)) }));
          if (keys.length) {
            await client.query(
              `INSERT INTO ${ck.table} (city_code, legacy_no, ${ck.idColumn})
               SELECT city_code, legacy_no, ${ck.idColumn} FROM json_populate_recordset(null::${ck.table}, $1::json)
               ON CONFLICT (city_code, legacy_no) DO UPDATE SET ${ck.idColumn} = excluded.${ck.idColumn}`,
              [JSON.stringify(keys)],
            );
            for (const k of keys) refIds.set(refKey(`city:${entity}`, k.legacy_no), String(k[ck.idColumn]));
          }
        }
      }

      if (outcomes.length) await copyLines(client, 'pipeline.row_outcome', ['stream_id', 'row_no', 'mapping_version_id', 'outcome', 'codes', 'warnings', 'entity', 'natural_key'], outcomes);
      if (lineage.length) await copyLines(client, 'pipeline.lineage', ['entity', 'natural_key', 'stream_id', 'row_no', 'mapping_version_id', 'action'], lineage);
      if (rejects.length) {
        // a steward sees the row as it was in the file: the raw cells by mapped field
        const sc = await streamContext(input.streamId, input.mappingVersionId, input.sourceId);
        const raw = await client.query('SELECT row_no, cells FROM landing.raw_row WHERE stream_id = $1 AND row_no = ANY($2)', [input.streamId, rejects.map((r) => r.rowNo)]);
        const cellsByRow = new Map(raw.rows.map((r: { row_no: number; cells: RawRow['cells'] }) => [r.row_no, r.cells]));
        for (const r of rejects) r.fields = pickFields(cellsByRow.get(r.rowNo as number) ?? [], sc.binding.binding.positions);
        await client.query(
          `INSERT INTO pipeline.reject (stream_id, row_no, city_code, entity, mapping_version_id, codes, reasons, fields, normalized)
           SELECT $1, r."rowNo", $2, r.entity, $3, ARRAY(SELECT jsonb_array_elements_text(r.codes)), r.reasons, r.fields, r.normalized
             FROM jsonb_to_recordset($4::jsonb) AS r("rowNo" int, entity text, codes jsonb, reasons jsonb, fields jsonb, normalized jsonb)`,
          [input.streamId, source.city_code, input.mappingVersionId, JSON.stringify(rejects)],
        );
      }
      await client.query(
        'INSERT INTO pipeline.load_batch (stream_id, mapping_version_id, phase, first_row, last_row, rows) VALUES ($1, $2, $3, $4, $5, $6)',
        [input.streamId, input.mappingVersionId, 'load', input.firstRow, input.lastRow, rows.size],
      );
      return counts;
    });
  };
}

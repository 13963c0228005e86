/**
 * Resubmission, step one: the fixed rows of a city become a new version of its "steward fixes"
 * source (`<city>/<source id>/@steward`, format `steward`) — one stream per mapping table, the
 * edited fields laid out so the mapping binds them by column name — landed in one transaction
 * with a `reject_attempt` per row (the lineage from reject to fix row). From here the fixes take
 * the ordinary road: planBatches → normalizeBatch → resolveDuplicates → loadBatch → sourceReport.
 *
 * Idempotent: the file's identity is the hash of the attempt key and its rows, so a retried
 * attempt finds the version it registered before and lands nothing twice.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { canonicalJson } from '../../src/mapping/load-mapping';
import { fixRowCells, fixRowLayout, fixStreamName } from '../../src/steward/fix-row';
import { effectiveFields, loadRejects, targetMappings, type RejectRecord } from '../../src/steward/reject-store';
import type { RawCell } from '../../src/extract/types';
import type { ActivityDeps } from '../deps';

export interface StageFixesInput {
  cityCode: string;
  rejectIds: string[];
  actor: string;
  /** one resubmission request (a workflow uuid): the same key on a retry finds the same rows */
  attemptKey: string;
  /** normalize under this mapping version (a new code translation); default the newest that fits */
  mappingVersionId?: number;
}

export type RefusalWhy = 'not_found' | 'other_city' | 'not_open' | 'no_mapping';

export interface FixGroup {
  sourceFileId: string;
  sourceId: string;
  mappingVersionId: number;
  streamIds: string[];
}

export interface StageFixesResult {
  staged: number;
  groups: FixGroup[];
  refused: { rejectId: string; why: RefusalWhy }[];
}

interface Planned {
  reject: RejectRecord;
  streamName: string;
  columns: string[];
  cells: RawCell[];
}

/** The steward fixes source of a mapping source: versions of it are successive resubmissions. */
export const stewardSourceKey = (cityCode: string, sourceId: string): string => `${cityCode}/${sourceId}/@steward`;

/** Inserts in chunks that stay well under PostgreSQL's 65,535 bind parameters. */
async function insertChunked(trx: Knex.Transaction, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2_000) await trx(table).insert(rows.slice(i, i + 2_000));
}

export function createStageStewardFixes({ db }: ActivityDeps) {
  async function landGroup(trx: Knex.Transaction, input: StageFixesInput, key: { sourceId: string; mappingVersionId: number; date1904: boolean }, rows: Planned[]): Promise<FixGroup> {
    const byStream = new Map<string, Planned[]>();
    for (const p of rows) byStream.set(p.streamName, [...(byStream.get(p.streamName) ?? []), p]);
    const streams = [...byStream.entries()].sort(([a], [b]) => a.localeCompare(b));
    const content = canonicalJson({
      attemptKey: input.attemptKey,
      ...key,
      streams: streams.map(([name, ps]) => ({ name, columns: ps[0]!.columns, rows: ps.map((p) => [p.reject.id, p.cells]) })),
    });
    const sha256 = crypto.createHash('sha256').update(content).digest('hex');
    const sourceKey = stewardSourceKey(input.cityCode, key.sourceId);
    // versions of one source key are gap-free: registrations of it take turns (as registerSource)
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [sourceKey]);
    const existing = await trx('landing.source_file').where({ source_key: sourceKey, content_sha256: sha256 }).first('id');
    if (existing) {
      const ids = (await trx('landing.stream').where({ source_file_id: existing.id }).orderBy('id').pluck('id')) as string[];
      return { sourceFileId: String(existing.id), sourceId: key.sourceId, mappingVersionId: key.mappingVersionId, streamIds: ids.map(String) };
    }
    const { max } = (await trx('landing.source_file').where({ source_key: sourceKey }).max('version as max').first()) as { max: number | null };
    const [file] = await trx('landing.source_file')
      .insert({
        city_code: input.cityCode,
        source_key: sourceKey,
        version: (max ?? 0) + 1,
        content_sha256: sha256,
        path: `steward:${input.attemptKey}`,
        byte_size: Buffer.byteLength(content),
        format: 'steward',
        encoding: 'utf-8',
        date1904: key.date1904,
        landed_at: trx.fn.now(),
      })
      .returning('id');
    const streamIds: string[] = [];
    for (const [name, ps] of streams) {
      const [stream] = await trx('landing.stream')
        .insert({ source_file_id: file.id, name, columns: JSON.stringify(ps[0]!.columns), rows_landed: ps.length })
        .returning('id');
      streamIds.push(String(stream.id));
      await insertChunked(trx, 'landing.raw_row', ps.map((p, i) => ({ stream_id: stream.id, row_no: i + 1, cells: JSON.stringify(p.cells) })));
      await trx('landing.landing_chunk').insert({ stream_id: stream.id, first_row: 1, last_row: ps.length, row_count: ps.length });
      await insertChunked(
        trx,
        'pipeline.reject_attempt',
        ps.map((p, i) => ({
          reject_id: p.reject.id,
          attempt_key: input.attemptKey,
          source_file_id: file.id,
          stream_id: stream.id,
          row_no: i + 1,
          mapping_version_id: key.mappingVersionId,
          actor: input.actor,
        })),
      );
    }
    return { sourceFileId: String(file.id), sourceId: key.sourceId, mappingVersionId: key.mappingVersionId, streamIds };
  }

  return async function stageStewardFixes(input: StageFixesInput): Promise<StageFixesResult> {
    const rejects = await loadRejects(db, input.rejectIds);
    const found = new Set(rejects.map((r) => r.id));
    const refused: StageFixesResult['refused'] = input.rejectIds.filter((id) => !found.has(id)).map((rejectId) => ({ rejectId, why: 'not_found' as const }));
    const groups = new Map<string, { key: { sourceId: string; mappingVersionId: number; date1904: boolean }; rows: Planned[] }>();
    const targetMapping = targetMappings(db, input.mappingVersionId);
    for (const reject of rejects) {
      if (reject.cityCode !== input.cityCode) refused.push({ rejectId: reject.id, why: 'other_city' });
      else if (reject.status !== 'open') refused.push({ rejectId: reject.id, why: 'not_open' });
      else {
        const target = await targetMapping(reject);
        if (!target) {
          refused.push({ rejectId: reject.id, why: 'no_mapping' });
          continue;
        }
        const layout = fixRowLayout(target.table);
        // date serials keep their meaning: a fix of a 1904-system workbook row lands as one
        const key = { sourceId: reject.sourceId, mappingVersionId: target.mappingVersionId, date1904: reject.date1904 };
        const k = `${key.mappingVersionId}|${key.sourceId}|${key.date1904}`;
        if (!groups.has(k)) groups.set(k, { key, rows: [] });
        groups.get(k)!.rows.push({ reject, streamName: fixStreamName(target.table), columns: layout.columns, cells: fixRowCells(layout, effectiveFields(reject)) });
      }
    }
    const landed = await db.transaction(async (trx) => {
      const out: FixGroup[] = [];
      for (const g of [...groups.values()].sort((a, b) => a.key.mappingVersionId - b.key.mappingVersionId || a.key.sourceId.localeCompare(b.key.sourceId))) {
        out.push(await landGroup(trx, input, g.key, g.rows));
      }
      return out;
    });
    return { staged: [...groups.values()].reduce((n, g) => n + g.rows.length, 0), groups: landed, refused };
  };
}

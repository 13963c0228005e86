/**
 * Normalization of one batch of landed rows, written in one transaction with its completion
 * marker: staged records for rows that passed, outcomes for rows skipped or rejected, and reject
 * entries for the stewards. A retried batch finds its marker and does nothing.
 */
import crypto from 'node:crypto';
import type { PoolClient } from 'pg';
import { canonicalJson } from '../src/mapping/load-mapping';
import { copyLine, copyLines, pgTextArray } from '../src/db/copy-rows';
import { withPgTransaction } from '../src/db/transaction';
import { comparableContent, normalizeRow, pickFields } from '../src/domain/normalize/normalize-row';
import { RECORD_KINDS } from '../src/domain/records';
import type { RecordKind } from '../src/domain/normalize/types';
import { readRawRowRange } from '../src/db/raw-rows';
import type { StreamContext } from '../src/pipeline-context';
import type { ActivityDeps } from './deps';

export interface NormalizeBatchInput {
  streamId: string;
  sourceId: string;
  mappingVersionId: number;
  firstRow: number;
  lastRow: number;
}

export interface BatchCounts {
  rows: number;
  staged: number;
  rejected: number;
  skipped: number;
  alreadyDone: boolean;
}

/** crypto.hash (Node ≥ 20.12) hashes a string in one call, without a Hash object per record. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

export const contentHash = (payload: unknown): string => sha256Hex(canonicalJson(payload));

/** The record kind whose primary records are of `entity`: its provenance fields are not content.
 * (Looked up per staged record, hence a map.) */
const KIND_OF_ENTITY: ReadonlyMap<string, RecordKind> = new Map([...Object.values(RECORD_KINDS)].reverse().map((k) => [k.entity, k]));
const kindOfEntity = (entity: string): RecordKind | undefined => KIND_OF_ENTITY.get(entity);


export function createNormalizeBatch({ db }: ActivityDeps, streamContext: (streamId: string, mvId: number, sourceId: string) => Promise<StreamContext>) {
  return async function normalizeBatch(input: NormalizeBatchInput): Promise<BatchCounts> {
    const sc = await streamContext(input.streamId, input.mappingVersionId, input.sourceId);
    const marker = { stream_id: input.streamId, mapping_version_id: input.mappingVersionId, phase: 'normalize', first_row: input.firstRow };
    if (await db('pipeline.load_batch').where(marker).first()) return { rows: 0, staged: 0, rejected: 0, skipped: 0, alreadyDone: true };

    const rows = await readRawRowRange(db, input.streamId, sc.streamName, input.firstRow, input.lastRow);

    const staged: string[] = [];
    const outcomes: string[] = [];
    const rejects: Record<string, unknown>[] = [];
    const counts: BatchCounts = { rows: 0, staged: 0, rejected: 0, skipped: 0, alreadyDone: false };
    for (const row of rows) {
      const result = normalizeRow(row, sc.binding, sc.ctx);
      if (result === null) continue; // the header row the columns are bound by
      counts.rows++;
      const base = [input.streamId, row.rowNo, input.mappingVersionId];
      if (result.kind === 'record') {
        counts.staged++;
        result.parts.forEach((part, i) => {
          // compared without provenance and without what the mapping ignores (serial numbers, remarks)
          const kind = kindOfEntity(part.entity) ?? sc.binding.kind;
          const hash = contentHash(comparableContent(part.payload, kind, sc.table.ignore));
          staged.push(copyLine([...base, i, part.entity, part.naturalKey, hash, result.updatedAt, JSON.stringify(part.payload), JSON.stringify(part.refs), pgTextArray(result.warnings)]));
        });
      } else if (result.kind === 'skipped') {
        counts.skipped++;
        outcomes.push(copyLine([...base, 'skipped', pgTextArray([result.code]), '{}', sc.binding.kind.entity]));
      } else {
        counts.rejected++;
        const codes = [...new Set(result.reasons.map((r) => r.code))];
        outcomes.push(copyLine([...base, 'rejected', pgTextArray(codes), pgTextArray(result.warnings), sc.binding.kind.entity]));
        rejects.push({
          stream_id: input.streamId,
          row_no: row.rowNo,
          city_code: sc.cityCode,
          entity: sc.binding.kind.entity,
          mapping_version_id: input.mappingVersionId,
          codes,
          reasons: JSON.stringify(result.reasons),
          fields: JSON.stringify(pickFields(row.cells, sc.binding.binding.positions)),
          normalized: JSON.stringify(result.normalized),
          refs: JSON.stringify(result.refs ?? []),
        });
      }
    }

    await withPgTransaction(db, async (client: PoolClient) => {
      if (staged.length) {
        await copyLines(client, 'pipeline.staged_record', ['stream_id', 'row_no', 'mapping_version_id', 'part', 'entity', 'natural_key', 'content_hash', 'source_updated_at', 'payload', 'refs', 'warnings'], staged);
      }
      if (outcomes.length) {
        await copyLines(client, 'pipeline.row_outcome', ['stream_id', 'row_no', 'mapping_version_id', 'outcome', 'codes', 'warnings', 'entity'], outcomes);
      }
      for (let i = 0; i < rejects.length; i += 500) {
        const { sql, bindings } = db('pipeline.reject').insert(rejects.slice(i, i + 500)).toSQL().toNative();
        await client.query(sql, bindings as unknown[]);
      }
      const m = db('pipeline.load_batch').insert({ ...marker, last_row: input.lastRow, rows: counts.rows }).toSQL().toNative();
      await client.query(m.sql, m.bindings as unknown[]);
    });
    return counts;
  };
}

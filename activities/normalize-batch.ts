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
import { normalizePivotRows } from '../src/domain/normalize/pivot';
import type { RecordKind, RowResult } from '../src/domain/normalize/types';
import type { RawRow } from '../src/extract/types';
import { ApplicationFailure } from '@temporalio/activity';
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

/** A pivoted stream is read whole for every batch (a group's rows may be anywhere in it); its
 * statements are small, and the limit keeps a table that is not one from exhausting memory. */
export const PIVOT_MAX_ROWS = 200_000;

/** The outcome of each row of the batch: row by row, or by item-code groups over the stream. */
async function batchResults(db: ActivityDeps['db'], sc: StreamContext, rows: readonly RawRow[], input: NormalizeBatchInput): Promise<(RowResult | null)[]> {
  const pivot = sc.table.pivot;
  if (!pivot || sc.table.skip) return rows.map((row) => normalizeRow(row, sc.binding, sc.ctx));
  const all = await readRawRowRange(db, input.streamId, sc.streamName, 1, 2 ** 31 - 1, PIVOT_MAX_ROWS + 1);
  if (all.length > PIVOT_MAX_ROWS) {
    throw ApplicationFailure.nonRetryable(`sheet/table ${JSON.stringify(sc.streamName)}: more than ${PIVOT_MAX_ROWS} rows in an item-code (pivot) layout`, 'PivotTooLarge');
  }
  const byRow = new Map<number, RowResult | null>();
  normalizePivotRows(all, sc.binding, pivot, sc.ctx).forEach((result, i) => byRow.set(all[i]!.rowNo, result));
  return rows.map((row) => byRow.get(row.rowNo) ?? null);
}

export function createNormalizeBatch({ db }: ActivityDeps, streamContext: (streamId: string, mvId: number, sourceId: string) => Promise<StreamContext>) {
  return async function normalizeBatch(input: NormalizeBatchInput): Promise<BatchCounts> {
    const sc = await streamContext(input.streamId, input.mappingVersionId, input.sourceId);
    const marker = { stream_id: input.streamId, mapping_version_id: input.mappingVersionId, phase: 'normalize', first_row: input.firstRow };
    if (await db('pipeline.load_batch').where(marker).first()) return { rows: 0, staged: 0, rejected: 0, skipped: 0, alreadyDone: true };

    const rows = await readRawRowRange(db, input.streamId, sc.streamName, input.firstRow, input.lastRow);
    const results = await batchResults(db, sc, rows, input);

    const staged: string[] = [];
    const outcomes: string[] = [];
    const rejects: Record<string, unknown>[] = [];
    const counts: BatchCounts = { rows: 0, staged: 0, rejected: 0, skipped: 0, alreadyDone: false };
    for (const [r, row] of rows.entries()) {
      const result = results[r]!;
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
        outcomes.push(copyLine([...base, 'skipped', pgTextArray([result.code]), '{}', sc.binding.skip ? null : sc.binding.kind.entity]));
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

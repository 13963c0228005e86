/**
 * Normalization of one batch of landed rows, written in one transaction with its completion
 * marker: staged records for rows that passed, outcomes for rows skipped or rejected, and reject
 * entries for the stewards. A retried batch finds its marker and does nothing.
 */
import crypto from 'node:crypto';
import type { PoolClient } from 'pg';
import { jsonText } from '../src/db/json-text';
import type { Reason } from '../src/domain/rules/result';
import { errorText, ROW_ERROR } from '../src/domain/normalize/row-error';
import { copyJson, copyLine, copyLines, copyText, copyValue, pgTextArray } from '../src/db/copy-rows';
import { withPgTransaction } from '../src/db/transaction';
import { comparableJson, normalizeRow, pickFields } from '../src/domain/normalize/normalize-row';
import { RECORD_KINDS } from '../src/domain/records';
import { normalizePivotRows } from '../src/domain/normalize/pivot';
import type { RecordKind, RowResult } from '../src/domain/normalize/types';
import type { RawRow } from '../src/extract/types';
import { ApplicationFailure } from '@temporalio/activity';
import { rawRowsOf, readRawRowRange, readStoredRowRange, type StoredRow } from '../src/db/raw-rows';
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

/** A staged record's content hash: of its comparable content (comparableContent), compared
 * without provenance and without what the mapping ignores (serial numbers, remarks). */
export const recordContentHash = (payload: Record<string, unknown>, kind: RecordKind, ignore: readonly string[] | undefined): string => sha256Hex(comparableJson(payload, kind, ignore));

/** The record kind whose primary records are of `entity`: its provenance fields are not content.
 * (Looked up per staged record, hence a map.) */
const KIND_OF_ENTITY: ReadonlyMap<string, RecordKind> = new Map([...Object.values(RECORD_KINDS)].reverse().map((k) => [k.entity, k]));
const kindOfEntity = (entity: string): RecordKind | undefined => KIND_OF_ENTITY.get(entity);

/** A pivoted stream is read whole for every batch (a group's rows may be anywhere in it); its
 * statements are small, and the limit keeps a table that is not one from exhausting memory. */
export const PIVOT_MAX_ROWS = 200_000;

/** A row whose rules threw: what it threw, for its `internal.row_error` reject. */
interface RowError {
  kind: 'error';
  err: unknown;
}

/** The outcome of each row of the batch: row by row, or by item-code groups over the stream. A row
 * whose rules throw is that row's error; a pivot that throws is every row's of the batch (a group
 * may hold any of them). */
export async function batchResults(db: ActivityDeps['db'], sc: StreamContext, rows: readonly RawRow[], input: NormalizeBatchInput): Promise<(RowResult | RowError | null)[]> {
  const pivot = sc.table.pivot;
  if (!pivot || sc.table.skip) {
    return rows.map((row) => {
      try {
        return normalizeRow(row, sc.binding, sc.ctx);
      } catch (err) {
        return { kind: 'error', err };
      }
    });
  }
  const all = await readRawRowRange(db, input.streamId, sc.streamName, 1, 2 ** 31 - 1, PIVOT_MAX_ROWS + 1);
  if (all.length > PIVOT_MAX_ROWS) {
    throw ApplicationFailure.nonRetryable(`sheet/table ${JSON.stringify(sc.streamName)}: more than ${PIVOT_MAX_ROWS} rows in an item-code (pivot) layout`, 'PivotTooLarge');
  }
  const byRow = new Map<number, RowResult | null>();
  try {
    normalizePivotRows(all, sc.binding, pivot, sc.ctx).forEach((result, i) => byRow.set(all[i]!.rowNo, result));
  } catch (err) {
    return rows.map((row) => (row.rowNo === sc.binding.binding.headerRowNo ? null : { kind: 'error', err }));
  }
  return rows.map((row) => byRow.get(row.rowNo) ?? null);
}

/** The columns every line of a batch begins with, as a COPY line holds them. */
interface BatchColumns {
  streamId: string;
  mappingVersionId: string;
}

/** What one row writes: its staged records, or its outcome (and reject entry). */
interface RowLines {
  kind: 'staged' | 'rejected' | 'skipped';
  staged: string[];
  outcome?: string;
  reject?: Record<string, unknown>;
}

/** The reject entry of a row (what the stewards see): every JSON value bigint-safe. */
function rejectEntry(row: RawRow, sc: StreamContext, input: NormalizeBatchInput, reasons: readonly Reason[], normalized: unknown, refs: unknown, fields: unknown): Record<string, unknown> {
  return {
    stream_id: input.streamId,
    row_no: row.rowNo,
    city_code: sc.cityCode,
    entity: sc.binding.kind.entity,
    mapping_version_id: input.mappingVersionId,
    codes: [...new Set(reasons.map((r) => r.code))],
    reasons: jsonText(reasons),
    fields: jsonText(fields),
    normalized: jsonText(normalized),
    refs: jsonText(refs),
  };
}

/** The lines of one row's result. Built whole before they are added, so a row that throws
 * half-way leaves nothing of itself behind. `batchColumns`: the batch's stream and mapping
 * version as a line holds them (the same for every row). */
function rowLines(row: RawRow, result: RowResult, sc: StreamContext, input: NormalizeBatchInput, batchColumns: BatchColumns): RowLines {
  if (result.kind === 'record') {
    // what copyLine writes, each value escaped only as it can need: stream_id, row_no,
    // mapping_version_id, part, entity, natural_key, content_hash, source_updated_at, payload, refs, warnings
    const lead = `${batchColumns.streamId}\t${copyValue(row.rowNo)}\t${batchColumns.mappingVersionId}\t`;
    const staged: string[] = [];
    let warnings: string | undefined;
    for (let i = 0; i < result.parts.length; i++) {
      const part = result.parts[i]!;
      const kind = kindOfEntity(part.entity) ?? sc.binding.kind;
      const hash = recordContentHash(part.payload, kind, sc.table.ignore);
      const payload = copyJson(jsonText(part.payload));
      const refs = copyJson(jsonText(part.refs));
      warnings ??= copyText(pgTextArray(result.warnings));
      // a hash is hexadecimal: nothing to escape. Joined, the line is one flat string (a chain of
      // concatenations would be held, and flattened, until the batch is written)
      staged.push([lead + i, copyValue(part.entity), copyValue(part.naturalKey), hash, copyValue(result.updatedAt), payload, refs, warnings + '\n'].join('\t'));
    }
    return { kind: 'staged', staged };
  }
  const base = [input.streamId, row.rowNo, input.mappingVersionId];
  if (result.kind === 'skipped') return { kind: 'skipped', staged: [], outcome: copyLine([...base, 'skipped', pgTextArray([result.code]), '{}', sc.binding.skip ? null : sc.binding.kind.entity]) };
  const codes = [...new Set(result.reasons.map((r) => r.code))];
  return {
    kind: 'rejected',
    staged: [],
    outcome: copyLine([...base, 'rejected', pgTextArray(codes), pgTextArray(result.warnings), sc.binding.kind.entity]),
    reject: rejectEntry(row, sc, input, result.reasons, result.normalized, result.refs ?? [], pickFields(row.cells, sc.binding.binding.positions)),
  };
}

/** A row whose normalization threw: rejected `internal.row_error` with the message, its cells kept. */
function rowErrorLines(row: RawRow, sc: StreamContext, input: NormalizeBatchInput, err: unknown): RowLines {
  const reasons: Reason[] = [{ code: ROW_ERROR, detail: errorText(err) }];
  let fields: unknown = {};
  try {
    fields = pickFields(row.cells, sc.binding.binding.positions);
  } catch {
    // the cells are still in landing.raw_row
  }
  return {
    kind: 'rejected',
    staged: [],
    outcome: copyLine([input.streamId, row.rowNo, input.mappingVersionId, 'rejected', pgTextArray([ROW_ERROR]), '{}', sc.binding.kind.entity]),
    reject: rejectEntry(row, sc, input, reasons, {}, [], fields),
  };
}

type Outcome = RowResult | RowError | null;

/** The lines a batch of rows writes, from their results (batchResults), or from a function giving
 * each row's result as it is reached — then no row's result outlives its lines (a batch's results
 * together were most of normalization's peak memory). A row that threw, or whose result cannot be
 * written, is rejected `internal.row_error` (and `onRowError` told): one row never fails its batch. */
export function batchLines(rows: readonly RawRow[], results: readonly Outcome[] | ((row: RawRow) => Outcome), sc: StreamContext, input: NormalizeBatchInput, onRowError: (row: RawRow, err: unknown) => void) {
  const resultOf = typeof results === 'function' ? results : (_row: RawRow, r: number) => results[r]!;
  const staged: string[] = [];
  const outcomes: string[] = [];
  const rejects: Record<string, unknown>[] = [];
  const counts: BatchCounts = { rows: 0, staged: 0, rejected: 0, skipped: 0, alreadyDone: false };
  const batchColumns: BatchColumns = { streamId: copyValue(input.streamId), mappingVersionId: copyValue(input.mappingVersionId) };
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const result = resultOf(row, r);
    if (result === null) continue; // the header row the columns are bound by
    let out: RowLines;
    try {
      if (result.kind === 'error') throw result.err;
      out = rowLines(row, result, sc, input, batchColumns);
    } catch (err) {
      onRowError(row, err);
      out = rowErrorLines(row, sc, input, err);
    }
    counts.rows++;
    counts[out.kind]++;
    staged.push(...out.staged);
    if (out.outcome) outcomes.push(out.outcome);
    if (out.reject) rejects.push(out.reject);
  }
  return { staged, outcomes, rejects, counts };
}

/** What normalizing a batch writes, whole: built on the activity's thread or on a worker thread. */
export interface BatchLines {
  staged: string[];
  outcomes: string[];
  rejects: Record<string, unknown>[];
  counts: BatchCounts;
  /** rows whose rules threw (rejected internal.row_error): their numbers and error names, to log */
  rowErrors: { rowNo: number; error: string }[];
}

/** batchLines, with the rows whose rules threw collected (by number and error name, to log). */
function linesWithRowErrors(rows: readonly RawRow[], results: Parameters<typeof batchLines>[1], sc: StreamContext, input: NormalizeBatchInput): BatchLines {
  const rowErrors: BatchLines['rowErrors'] = [];
  const lines = batchLines(rows, results, sc, input, (row, err) => rowErrors.push({ rowNo: row.rowNo, error: err instanceof Error ? err.name : typeof err }));
  return { ...lines, rowErrors };
}

/** The lines of a batch of a stream that is not pivoted: pure, row by row (what a thread runs). */
export function normalizeRowsToLines(rows: readonly RawRow[], sc: StreamContext, input: NormalizeBatchInput): BatchLines {
  const resultOf = (row: RawRow): Outcome => {
    try {
      return normalizeRow(row, sc.binding, sc.ctx);
    } catch (err) {
      return { kind: 'error', err };
    }
  };
  return linesWithRowErrors(rows, resultOf, sc, input);
}

/** Normalizes stored rows somewhere else (a worker thread: src/normalize-threads), or says it cannot. */
export type NormalizeElsewhere = (sc: StreamContext, rows: readonly StoredRow[], input: NormalizeBatchInput) => Promise<BatchLines> | undefined;

export function createNormalizeBatch({ db, log }: ActivityDeps, streamContext: (streamId: string, mvId: number, sourceId: string) => Promise<StreamContext>, elsewhere?: NormalizeElsewhere) {
  /** A pivot reads its whole stream (batchResults); any other batch is normalized row by row,
   * on a worker thread when one takes it. */
  async function lines(sc: StreamContext, input: NormalizeBatchInput): Promise<BatchLines> {
    const stored = await readStoredRowRange(db, input.streamId, input.firstRow, input.lastRow);
    const pivoted = sc.table.pivot && !sc.table.skip;
    const onThread = pivoted ? undefined : elsewhere?.(sc, stored, input);
    if (onThread) return onThread;
    const rows = rawRowsOf(sc.streamName, stored);
    if (!pivoted) return normalizeRowsToLines(rows, sc, input);
    return linesWithRowErrors(rows, await batchResults(db, sc, rows, input), sc, input);
  }

  return async function normalizeBatch(input: NormalizeBatchInput): Promise<BatchCounts> {
    const sc = await streamContext(input.streamId, input.mappingVersionId, input.sourceId);
    const marker = { stream_id: input.streamId, mapping_version_id: input.mappingVersionId, phase: 'normalize', first_row: input.firstRow };
    if (await db('pipeline.load_batch').where(marker).first()) return { rows: 0, staged: 0, rejected: 0, skipped: 0, alreadyDone: true };

    const { staged, outcomes, rejects, counts, rowErrors } = await lines(sc, input);
    // the message may hold cell values: the log names the row, not the message
    for (const e of rowErrors) log.warn({ streamId: input.streamId, rowNo: e.rowNo, error: e.error }, 'normalizing a row threw: rejected internal.row_error');

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

/**
 * Landing: one source file → landing.raw_row through COPY, in chunks committed together with a
 * landing_chunk marker. The database, not the heartbeat, is the truth about what is landed: a
 * retried attempt reads the last marker and resumes after it, so every row lands exactly once.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { PoolClient } from 'pg';
import { copyLines, copyText } from '../src/db/copy-rows';
import { withPgTransaction } from '../src/db/transaction';
import { openSource } from '../src/extract/open-source';
import { ExtractError, type RawRow, type RowLocator } from '../src/extract/types';
import type { ActivityDeps } from './deps';

export interface LandSourceInput {
  sourceFileId: string;
  /** rows per committed chunk */
  chunkRows?: number;
}

export interface LandedStream {
  streamId: string;
  name: string;
  rows: number;
  firstRow: number | null;
  lastRow: number | null;
}

export interface LandSourceResult {
  streams: LandedStream[];
  rowsLanded: number;
  /** rows landed by this attempt (less than rowsLanded after a resume) */
  rowsThisAttempt: number;
  resumedAfter: RowLocator | null;
}

interface StreamState {
  id: string;
  name: string;
}

/** Heartbeat only every so often: cancellation and liveness, not bookkeeping. */
const HEARTBEAT_MS = 2_000;

export function createLandSource({ db, log }: ActivityDeps) {
  async function streamId(sourceFileId: string, name: string, columns: string[] | undefined): Promise<string> {
    const [row] = await db('landing.stream')
      .insert({ source_file_id: sourceFileId, name, columns: columns ? JSON.stringify(columns) : null })
      .onConflict(['source_file_id', 'name'])
      .merge({ columns: columns ? JSON.stringify(columns) : null })
      .returning('id');
    return String(row.id);
  }

  async function commitChunk(stream: StreamState, rows: RawRow[]): Promise<void> {
    if (rows.length === 0) return;
    const lines = rows.map((r) => `${stream.id}\t${r.rowNo}\t${copyText(JSON.stringify(r.cells))}\n`);
    await withPgTransaction(db, async (client: PoolClient) => {
      await copyLines(client, 'landing.raw_row', ['stream_id', 'row_no', 'cells'], lines);
      await client.query('INSERT INTO landing.landing_chunk (stream_id, first_row, last_row, row_count) VALUES ($1, $2, $3, $4)', [
        stream.id,
        rows[0]!.rowNo,
        rows[rows.length - 1]!.rowNo,
        rows.length,
      ]);
    });
  }

  /** The last committed row, from the markers: where a retried attempt resumes. */
  async function lastCommitted(sourceFileId: string): Promise<RowLocator | null> {
    const row = await db('landing.landing_chunk as c')
      .join('landing.stream as s', 's.id', 'c.stream_id')
      .where('s.source_file_id', sourceFileId)
      .orderBy([{ column: 's.id', order: 'desc' }, { column: 'c.last_row', order: 'desc' }])
      .first('s.name', 'c.last_row');
    return row ? { stream: row.name as string, rowNo: row.last_row as number } : null;
  }

  async function summarize(sourceFileId: string): Promise<LandedStream[]> {
    const rows = await db('landing.stream as s')
      .leftJoin('landing.landing_chunk as c', 'c.stream_id', 's.id')
      .where('s.source_file_id', sourceFileId)
      .groupBy('s.id', 's.name')
      .orderBy('s.id')
      .select('s.id', 's.name', db.raw('coalesce(sum(c.row_count), 0)::int as rows'), db.raw('min(c.first_row) as first_row'), db.raw('max(c.last_row) as last_row'));
    return rows.map((r: { id: string; name: string; rows: number; first_row: number | null; last_row: number | null }) => ({
      streamId: String(r.id),
      name: r.name,
      rows: r.rows,
      firstRow: r.first_row,
      lastRow: r.last_row,
    }));
  }

  return async function landSource(input: LandSourceInput): Promise<LandSourceResult> {
    const chunkRows = input.chunkRows ?? 20_000;
    const source = await db('landing.source_file').where({ id: input.sourceFileId }).first();
    if (!source) throw ApplicationFailure.nonRetryable(`source file ${input.sourceFileId} is not registered`, 'SourceNotFound');
    if (source.landed_at) {
      const streams = await summarize(input.sourceFileId);
      return { streams, rowsLanded: streams.reduce((n, s) => n + s.rows, 0), rowsThisAttempt: 0, resumedAfter: null };
    }
    const resumeAfter = await lastCommitted(input.sourceFileId);
    if (resumeAfter) log.info({ sourceFileId: input.sourceFileId, resumeAfter }, 'resuming landing after the last committed chunk');

    const ctx = Context.current();
    let rowsThisAttempt = 0;
    try {
      const extracted = await openSource({
        file: source.path as string,
        format: source.format === 'auto' ? undefined : (source.format as string),
        encoding: (source.encoding as string | null) ?? undefined,
        resumeAfter: resumeAfter ?? undefined,
      });
      await db('landing.source_file')
        .where({ id: input.sourceFileId })
        .update({ format: extracted.format, encoding: extracted.encoding ?? source.encoding, date1904: extracted.date1904 ?? false });

      // One chunk commits while the next is extracted: parsing (this process) and COPY (the
      // database) run side by side. At most one commit is in flight, so memory stays at two chunks.
      let inflight: Promise<void> = Promise.resolve();
      const commit = async (stream: StreamState, rows: RawRow[]) => {
        await inflight;
        inflight = commitChunk(stream, rows);
        inflight.catch(() => undefined); // awaited at the next chunk; don't let it go unhandled meanwhile
        rowsThisAttempt += rows.length;
      };
      let stream: StreamState | undefined;
      let buffer: RawRow[] = [];
      let lastBeat = 0;
      const streamInfo = new Map((await extracted.streams()).map((s) => [s.name, s]));
      for await (const row of extracted.rows()) {
        if (!stream || row.stream !== stream.name) {
          if (stream) await commit(stream, buffer);
          buffer = [];
          await inflight;
          stream = { id: await streamId(input.sourceFileId, row.stream, streamInfo.get(row.stream)?.columns), name: row.stream };
        }
        buffer.push(row);
        if (buffer.length >= chunkRows) {
          await commit(stream, buffer);
          buffer = [];
          if (Date.now() - lastBeat > HEARTBEAT_MS) {
            ctx.heartbeat({ stream: row.stream, rowNo: row.rowNo });
            lastBeat = Date.now();
          }
          if (ctx.cancellationSignal.aborted) {
            await inflight;
            throw ctx.cancellationSignal.reason;
          }
        }
      }
      if (stream) await commit(stream, buffer);
      await inflight;
      // streams known from the header (empty tables) are registered too, so reports list them
      for (const info of streamInfo.values()) await streamId(input.sourceFileId, info.name, info.columns);
    } catch (err) {
      if (err instanceof ExtractError) throw ApplicationFailure.nonRetryable(err.message, err.code, { file: err.file, stream: err.stream, rowNo: err.rowNo, field: err.field });
      throw err;
    }
    const streams = await summarize(input.sourceFileId);
    await db.transaction(async (trx) => {
      for (const s of streams) await trx('landing.stream').where({ id: s.streamId }).update({ rows_landed: s.rows });
      await trx('landing.source_file').where({ id: input.sourceFileId }).update({ landed_at: trx.fn.now() });
    });
    return { streams, rowsLanded: streams.reduce((n, s) => n + s.rows, 0), rowsThisAttempt, resumedAfter: resumeAfter };
  };
}

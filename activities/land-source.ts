/**
 * Landing: one source file → landing.raw_row through COPY, in chunks committed together with a
 * landing_chunk marker. The database, not the heartbeat, is the truth about what is landed: a
 * retried attempt reads the last marker and resumes after it, so every row lands exactly once.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Db } from '../src/db/knex';
import { storedCells } from '../src/db/raw-rows';
import { StreamingCopy } from '../src/db/streaming-copy';
import { openSource } from '../src/extract/open-source';
import { ExtractError, type RowLocator } from '../src/extract/types';
import { refusalFailure, streamRefusals } from '../src/mapping/refusals';
import type { Mapping } from '../src/mapping/schema';
import type { ActivityDeps } from './deps';

export interface LandSourceInput {
  sourceFileId: string;
  /** rows per committed chunk */
  chunkRows?: number;
  /** the mapping source the file is landed for: its tables are checked against the streams the
   * file has (a table naming a sheet/table the file lacks is refused once landed) */
  mapping?: { mappingVersionId: number; sourceId: string };
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

/**
 * Landed rows in committed chunks: each chunk is one transaction holding a streaming COPY of its
 * rows and its landing_chunk marker. Text goes to the server every PIECE_ROWS rows while the next
 * rows are parsed; a full chunk commits while the next one already streams on another connection,
 * and never before the chunk ahead of it — so a marker is never ahead of rows that are missing.
 */
class LandingChunks {
  private open: { copy: StreamingCopy; streamId: string; prefix: string; firstRow: number; lastRow: number; rows: number; piece: string; pieceRows: number } | undefined;
  private previous: Promise<void> = Promise.resolve();
  rowsCommitted = 0;

  constructor(
    private readonly db: Db,
    private readonly chunkRows: number,
  ) {}

  /**
   * Adds one row to the open chunk, which must be of `streamId` (see finish): its cells and
   * delimiter columns already in COPY text format. Returns a promise only when there is something
   * to wait for — a chunk to open, the socket to drain, a chunk to end — since a promise per row
   * costs more than the row.
   */
  add(streamId: string, rowNo: number, cells: string, delimiter: string): Promise<void> | undefined {
    const chunk = this.open;
    if (!chunk) return this.openChunk(streamId).then(() => this.add(streamId, rowNo, cells, delimiter));
    chunk.piece += `${chunk.prefix}${rowNo}\t${cells}\t${delimiter}\n`;
    if (chunk.rows === 0) chunk.firstRow = rowNo;
    chunk.lastRow = rowNo;
    chunk.rows++;
    if (chunk.rows >= this.chunkRows) return this.endChunk();
    if (++chunk.pieceRows >= PIECE_ROWS) return this.sendPiece();
    return undefined;
  }

  private async openChunk(streamId: string): Promise<void> {
    const copy = await StreamingCopy.begin(this.db, 'landing.raw_row', ['stream_id', 'row_no', 'cells', 'delimiter']);
    this.open = { copy, streamId, prefix: `${streamId}\t`, firstRow: 0, lastRow: 0, rows: 0, piece: '', pieceRows: 0 };
  }

  private sendPiece(): Promise<void> | undefined {
    const chunk = this.open!;
    const text = chunk.piece;
    chunk.piece = '';
    chunk.pieceRows = 0;
    return text ? chunk.copy.write(text) : undefined;
  }

  /** Sends the rest of the open chunk and queues its commit behind the previous one. */
  async endChunk(): Promise<void> {
    if (!this.open) return;
    const chunk = this.open;
    try {
      await this.sendPiece();
      await this.previous;
    } catch (err) {
      this.open = undefined;
      await chunk.copy.abort();
      throw err;
    }
    this.open = undefined;
    this.previous = chunk.copy.commit((client) =>
      client.query('INSERT INTO landing.landing_chunk (stream_id, first_row, last_row, row_count) VALUES ($1, $2, $3, $4)', [
        chunk.streamId,
        chunk.firstRow,
        chunk.lastRow,
        chunk.rows,
      ]),
    );
    this.previous.catch(() => undefined); // awaited by the next chunk or by finish()
    this.rowsCommitted += chunk.rows;
  }

  /** Commits what is open and waits for every commit. */
  async finish(): Promise<void> {
    await this.endChunk();
    await this.previous;
  }

  /** After a failure: the open chunk is rolled back, the commit already under way completes. */
  async abandon(): Promise<void> {
    const chunk = this.open;
    this.open = undefined;
    if (chunk) await chunk.copy.abort();
    await this.previous.catch(() => undefined);
  }
}

/** Rows per write to the COPY stream: ~100 KB, few enough calls, little held in memory. */
const PIECE_ROWS = 1_000;

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

  /** Refuses (non-retryably) a mapping source whose tables name streams the file does not have. */
  async function refuseMissingStreams(input: LandSourceInput, file: string, streams: readonly LandedStream[]): Promise<void> {
    if (!input.mapping) return;
    const version = await db('pipeline.mapping_version').where({ id: input.mapping.mappingVersionId }).first('document');
    const sources = (version?.document as Mapping | undefined)?.sources ?? [];
    const i = sources.findIndex((s) => s.id === input.mapping!.sourceId);
    if (i < 0) return;
    const refused = streamRefusals(sources[i]!, i, file, streams.map((s) => s.name));
    if (refused.length) throw refusalFailure(refused);
  }

  return async function landSource(input: LandSourceInput): Promise<LandSourceResult> {
    const chunkRows = input.chunkRows ?? 20_000;
    const source = await db('landing.source_file').where({ id: input.sourceFileId }).first();
    if (!source) throw ApplicationFailure.nonRetryable(`source file ${input.sourceFileId} is not registered`, 'SourceNotFound');
    if (source.landed_at) {
      const streams = await summarize(input.sourceFileId);
      await refuseMissingStreams(input, source.path as string, streams);
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

      const chunks = new LandingChunks(db, chunkRows);
      let stream: StreamState | undefined;
      let lastBeat = 0;
      try {
        for await (const batch of extracted.batches()) {
          for (const row of batch) {
            if (!stream || row.stream !== stream.name) {
              await chunks.finish(); // a stream's chunks commit before the next stream is registered
              const columns = extracted.streamsRead().find((s) => s.name === row.stream)?.columns;
              stream = { id: await streamId(input.sourceFileId, row.stream, columns), name: row.stream };
            }
            const [cells, delimiter] = storedCells(row);
            const wait = chunks.add(stream.id, row.rowNo, cells, delimiter);
            if (wait) await wait;
          }
          if (Date.now() - lastBeat > HEARTBEAT_MS) {
            const last = batch[batch.length - 1];
            ctx.heartbeat(last ? { stream: last.stream, rowNo: last.rowNo } : undefined);
            lastBeat = Date.now();
          }
          if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
        }
        await chunks.finish();
      } catch (err) {
        await chunks.abandon();
        throw err;
      } finally {
        rowsThisAttempt = chunks.rowsCommitted;
      }
      // streams known from the header (empty tables) are registered too, so reports list them
      // (and every stream gets the columns of all its INSERTs' column lists)
      for (const info of extracted.streamsRead()) await streamId(input.sourceFileId, info.name, info.columns);
    } catch (err) {
      if (err instanceof ExtractError) throw ApplicationFailure.nonRetryable(err.message, err.code, { file: err.file, stream: err.stream, rowNo: err.rowNo, field: err.field });
      throw err;
    }
    const streams = await summarize(input.sourceFileId);
    await db.transaction(async (trx) => {
      for (const s of streams) await trx('landing.stream').where({ id: s.streamId }).update({ rows_landed: s.rows });
      await trx('landing.source_file').where({ id: input.sourceFileId }).update({ landed_at: trx.fn.now() });
    });
    // landed either way (a corrected mapping re-uses the landing); refused before anything normalizes
    await refuseMissingStreams(input, source.path as string, streams);
    return { streams, rowsLanded: streams.reduce((n, s) => n + s.rows, 0), rowsThisAttempt, resumedAfter: resumeAfter };
  };
}

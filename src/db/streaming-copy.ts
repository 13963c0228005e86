/**
 * A COPY … FROM STDIN kept open inside a transaction while rows are still being produced: text is
 * sent as soon as it is encoded, so the server parses one part while the next is read, and nothing
 * waits in memory for a batch to fill. The transaction commits with whatever `commit` adds (a
 * landing marker), so a crash leaves either all of it or none.
 *
 * Backpressure is the socket's: write() returns a promise only when the server is behind.
 */
import { once } from 'node:events';
import type { PoolClient } from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import type { Db } from './knex';

export class StreamingCopy {
  private failure: Error | undefined;
  /** after commit or abort: the connection is back in the pool, and a second call does nothing */
  private ended = false;

  private constructor(
    private readonly db: Db,
    private readonly client: PoolClient,
    private readonly sink: CopyStreamQuery,
  ) {
    // an error can arrive between writes; it is thrown at the next write or at commit
    sink.on('error', (err: Error) => {
      this.failure ??= err;
    });
  }

  /** BEGIN and COPY `table (columns)` FROM STDIN (text format) on a connection of its own. */
  static async begin(db: Db, table: string, columns: readonly string[]): Promise<StreamingCopy> {
    const client = (await db.client.acquireConnection()) as PoolClient;
    try {
      await client.query('BEGIN');
      return new StreamingCopy(db, client, client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      await db.client.releaseConnection(client);
      throw err;
    }
  }

  /** Sends COPY text (whole lines); resolves at once unless the socket is full. */
  write(text: string): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    if (this.sink.write(text)) return undefined;
    return this.drained();
  }

  private async drained(): Promise<void> {
    const ac = new AbortController();
    try {
      await Promise.race([once(this.sink, 'drain', { signal: ac.signal }), once(this.sink, 'error', { signal: ac.signal })]);
    } finally {
      ac.abort();
    }
    if (this.failure) throw this.failure;
  }

  /** Ends the COPY, runs `alsoInTransaction`, commits and gives the connection back. */
  async commit(alsoInTransaction: (client: PoolClient) => Promise<unknown>): Promise<void> {
    if (this.ended) throw new Error('this COPY has already ended');
    this.ended = true;
    try {
      if (this.failure) throw this.failure;
      const ac = new AbortController();
      try {
        const finished = Promise.race([once(this.sink, 'finish', { signal: ac.signal }), once(this.sink, 'error', { signal: ac.signal })]);
        this.sink.end();
        await finished;
      } finally {
        ac.abort();
      }
      if (this.failure) throw this.failure;
      await alsoInTransaction(this.client);
      await this.client.query('COMMIT');
    } catch (err) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await this.db.client.releaseConnection(this.client);
    }
  }

  /** Abandons the COPY and its transaction (nothing of it is kept). */
  async abort(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    try {
      // ending the stream with an error makes pg-copy-streams send CopyFail; the server rolls the COPY back
      this.sink.destroy(new Error('landing abandoned'));
      await this.client.query('ROLLBACK').catch(() => undefined);
    } finally {
      await this.db.client.releaseConnection(this.client);
    }
  }
}

import type { PoolClient } from 'pg';
import type { Db } from './knex';

/** Runs `fn` in a transaction on a raw pg client (COPY needs one), committing or rolling back. */
export async function withPgTransaction<T>(db: Db, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = (await db.client.acquireConnection()) as PoolClient;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.client.releaseConnection(client);
  }
}

import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// bigint columns hold money in fen and row counts: keep them exact (strings → bigint where used),
// never let the driver turn them into floats.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => v);
// DATE columns are calendar dates, not instants: keep them as 'YYYY-MM-DD' text.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

export type Db = Knex;

/** knex's own messages ("Connection Error: …" while a server restarts) go to stderr as one line
 * each, never to stdout, where knex would print them with console.log and break --json output. */
const toStderr = (level: string) => (message: unknown) => {
  const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
  process.stderr.write(`tongchou: database ${level}: ${String(text).split('\n')[0]}\n`);
};
const KNEX_LOG = { warn: toStderr('warning'), error: toStderr('error'), deprecate: toStderr('deprecation'), debug: () => {} };

export function createDb(url: string, pool: { min?: number; max?: number } = {}): Db {
  return knexFactory({
    client: 'pg',
    connection: { connectionString: url, application_name: 'tongchou' },
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
    migrations: { tableName: 'knex_migrations', schemaName: 'public' },
    log: KNEX_LOG,
  });
}

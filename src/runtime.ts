/**
 * Start-up in one place, used by the CLI, the worker entry point and the tests: resolve the
 * services (configured or local), migrate the database, connect a Temporal client and, where
 * asked, run workers in this process. `close()` undoes it all in reverse order.
 */
import { Client, Connection } from '@temporalio/client';
import { type Config, TASK_QUEUES } from './config';
import { createDb, type Db } from './db/knex';
import { migrateLatest } from './db/migrate';
import type { Logger } from './log';
import { ensurePostgres } from './services/postgres';
import { ensureTemporal } from './services/temporal';
import type { RunningWorkers } from './worker';
import type * as WorkerModule from './worker';
import type * as WorkflowBundleModule from './workflow-bundle';

export interface Runtime {
  config: Config;
  log: Logger;
  db: Db;
  client: Client;
  temporalAddress: string;
  databaseUrl: string;
  workers?: RunningWorkers;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** run workers in this process (the default for local use) */
  withWorkers?: boolean;
  taskQueues?: { extract: string; main: string };
}

export async function startRuntime(config: Config, log: Logger, opts: RuntimeOptions = {}): Promise<Runtime> {
  const stack: (() => Promise<void>)[] = [];
  const close = async () => {
    while (stack.length) await stack.pop()!().catch((err: unknown) => log.warn({ err }, 'error while shutting down'));
  };
  try {
    const [temporal, postgres] = await Promise.all([ensureTemporal(config, log), ensurePostgres(config, log)]);
    stack.push(temporal.stop, postgres.stop);
    const db = createDb(postgres.url);
    stack.push(() => db.destroy());
    const applied = await migrateLatest(db);
    if (applied.length) log.info({ applied }, 'database migrated');
    const connection = await Connection.connect({ address: temporal.address });
    stack.push(() => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace });
    let workers: RunningWorkers | undefined;
    if (opts.withWorkers) {
      // loaded only here: the worker SDK and every activity are most of the CLI's start-up time,
      // and commands that only read (status, report, --help) never need them
      // (require, not import(): a compiled build is CommonJS, where import() resolves like ESM)
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { startWorkers } = require('./worker') as typeof WorkerModule;
      const { workflowBundlePath } = require('./workflow-bundle') as typeof WorkflowBundleModule;
      /* eslint-enable @typescript-eslint/no-require-imports */
      workers = await startWorkers({
        address: temporal.address,
        namespace: temporal.namespace,
        deps: { db, log, config },
        workflowBundlePath: await workflowBundlePath(config.dataDir, config.workflowBundle),
        taskQueues: opts.taskQueues ?? TASK_QUEUES,
      });
      stack.push(() => workers!.shutdown());
    }
    return { config, log, db, client, temporalAddress: temporal.address, databaseUrl: postgres.url, workers, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Start-up in one place, used by the CLI, the worker entry point and the tests: resolve the
 * services (configured or local), migrate the database, connect a Temporal client and, where
 * asked, run workers in this process. `close()` undoes it all in reverse order.
 */
import { Client, Connection } from '@temporalio/client';
import { type Config, TASK_QUEUES } from './config';
import { assertQueuesShareDatabase, databaseIdInterceptors, databaseIdOf } from './db/identity';
import { createDb, type Db } from './db/knex';
import { migrateLatest, pendingMigrations } from './db/migrate';
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
  /** the Temporal Web UI, where known (see ensureTemporal) */
  temporalUiUrl?: string;
  databaseUrl: string;
  workers?: RunningWorkers;
  /** settles when a local service this process supervises is gone for good (restarts exhausted) */
  servicesFailed: Promise<Error>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** run workers in this process (the default for local use) */
  withWorkers?: boolean;
  taskQueues?: { extract: string; main: string };
  /** 'check': refuse a database not migrated instead of migrating it (commands that only read,
   * like `status`, do no more than that); default 'apply' */
  migrations?: 'apply' | 'check';
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
    if (opts.migrations === 'check') {
      const pending = await pendingMigrations(db);
      if (pending.length) throw new Error(`the database is not migrated (${pending.length} pending, e.g. ${pending[0]}): run \`tongchou worker\` or \`tongchou migrate\` once`);
    } else {
      const applied = await migrateLatest(db);
      if (applied.length) log.info({ applied }, 'database migrated');
    }
    const databaseId = await databaseIdOf(db);
    const connection = await Connection.connect({ address: temporal.address });
    stack.push(() => connection.close());
    // every workflow this client starts carries its database: activities on another one refuse
    const client = new Client({ connection, namespace: temporal.namespace, interceptors: databaseIdInterceptors(databaseId) });
    const taskQueues = opts.taskQueues ?? TASK_QUEUES;
    // a client alone refuses here; with workers in this process, their start check does the same
    if (!opts.withWorkers) await assertQueuesShareDatabase(connection.workflowService, temporal.namespace, [taskQueues.main, taskQueues.extract], databaseId, 'client');
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
        taskQueues,
      });
      stack.push(() => workers!.shutdown());
    }
    const servicesFailed = Promise.race([temporal.failed, postgres.failed].filter((p): p is Promise<Error> => p !== undefined).concat(new Promise<Error>(() => {})));
    return { config, log, db, client, temporalAddress: temporal.address, temporalUiUrl: temporal.uiUrl, databaseUrl: postgres.url, workers, servicesFailed, close };
  } catch (err) {
    await close();
    throw err;
  }
}

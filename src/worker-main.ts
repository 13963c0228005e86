/**
 * The production worker process: `node dist/current/src/worker-main.js` (`npm run build`; or
 * `node -r tsx/cjs src/worker-main.ts`) with
 * DATABASE_URL, TEMPORAL_ADDRESS and TONGCHOU_WORKFLOW_BUNDLE — a bundle made by
 * `npm run build:workflows` with the same @temporalio/worker version. Unlike `tongchou worker`,
 * it never starts local services nor bundles at start: what it needs is given or it refuses to run.
 * SIGTERM and SIGINT shut it down gracefully (src/worker.ts); it exits 0 after a clean shutdown.
 */
import fs from 'node:fs';
import { type Config, loadConfig, TASK_QUEUES } from './config';
import { createDb } from './db/knex';
import { migrateLatest } from './db/migrate';
import { createLogger, type Logger } from './log';
import { startWorkers } from './worker';

/** What a production worker must be given; every gap at once. */
export function productionProblems(config: Config): string[] {
  const problems: string[] = [];
  if (!config.databaseUrl) problems.push('DATABASE_URL is not set');
  if (!config.temporalAddress) problems.push('TEMPORAL_ADDRESS is not set');
  if (!config.workflowBundle) problems.push('TONGCHOU_WORKFLOW_BUNDLE is not set (build one with `npm run build:workflows`)');
  else if (!fs.existsSync(config.workflowBundle)) problems.push(`TONGCHOU_WORKFLOW_BUNDLE: no such file ${config.workflowBundle}`);
  return problems;
}

export async function runProductionWorker(config: Config, log: Logger): Promise<void> {
  const problems = productionProblems(config);
  if (problems.length) throw new Error(`cannot start the worker:\n  ${problems.join('\n  ')}`);
  const db = createDb(config.databaseUrl!);
  try {
    await migrateLatest(db);
    const workers = await startWorkers({
      address: config.temporalAddress!,
      namespace: config.temporalNamespace,
      deps: { db, log, config },
      workflowBundlePath: config.workflowBundle!,
      taskQueues: TASK_QUEUES,
    });
    log.info({ temporal: config.temporalAddress, queues: TASK_QUEUES }, 'worker running');
    // the SDK's runtime turns SIGTERM/SIGINT into a graceful shutdown of every worker
    await workers.done;
    log.info('worker stopped');
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  runProductionWorker(config, log).then(
    () => process.exit(0),
    (err: unknown) => {
      log.fatal({ err }, 'worker failed');
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}

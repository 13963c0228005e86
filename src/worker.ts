/**
 * Workers: one process polls two task queues — heavy extraction (few at a time) and everything
 * else (workflows, normalization, loading). Scaling out is more such processes.
 *
 * Shutting down (SIGTERM, Ctrl-C) is graceful: polling stops, running batches get the grace time
 * to commit with their markers, then running activities are cancelled — a landing stops after its
 * current chunk commits and resumes from there on another worker. Every activity heartbeats while
 * it runs, so a worker that dies (SIGKILL, a lost machine) is noticed within the heartbeat timeout
 * of its activities rather than at their start-to-close timeout.
 */
import { ApplicationFailure } from '@temporalio/common';
import { type ActivityInterceptorsFactory, DefaultLogger, NativeConnection, Runtime, Worker, type LogEntry } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { TASK_QUEUES } from './config';
import { activityMismatchMessage, assertQueuesShareDatabase, DATABASE_MISMATCH, databaseIdOf, databaseIdOfHeaders, workerIdentity } from './db/identity';
import type { Logger } from './log';

let runtimeInstalled = false;

/** Routes the SDK's own logs into pino, once per process. */
export function installRuntimeLogger(log: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const sdkLog = log.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry: LogEntry) => {
      // the extraction worker polls activities only: its "no workflows registered" is expected
      const expected = entry.message.startsWith('No workflows registered');
      const level = entry.level === 'ERROR' ? 'error' : entry.level === 'WARN' && !expected ? 'warn' : 'debug';
      sdkLog[level](entry.meta ?? {}, entry.message);
    }),
  });
}

/** How often a running activity tells the server its worker is alive. A third or less of the
 * heartbeat timeouts in workflows/activity-options.ts. */
export const HEARTBEAT_EVERY_MS = 5_000;

/**
 * Heartbeats for every activity while it runs. They prove the process alive and its event loop
 * turning, not progress: work that hangs is still bounded by its start-to-close timeout. They also
 * carry cancellation (a pause, a shutdown) to activities that do not heartbeat themselves.
 */
export const heartbeatWhileRunning: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const timer = setInterval(() => ctx.heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        return await next(input);
      } finally {
        clearInterval(timer);
      }
    },
  },
});

/**
 * Before any activity runs: is this worker's database the one its workflow was started on (the
 * header src/db/identity.ts describes)? Read from the database each time, not remembered, so a
 * DATABASE_URL that comes to point elsewhere is caught too. A mismatch fails the activity at once
 * (non-retryable: another attempt on this worker would refuse again), before it writes anything.
 */
export const databaseIdentityCheck =
  (db: ActivityDeps['db']): ActivityInterceptorsFactory =>
  (ctx) => ({
    inbound: {
      async execute(input, next) {
        const expected = databaseIdOfHeaders(input.headers);
        if (expected !== undefined) {
          const ours = await databaseIdOf(db);
          if (ours !== expected) throw ApplicationFailure.nonRetryable(activityMismatchMessage(ctx.info.activityType, ctx.info.workflowExecution?.workflowId ?? '(none)', expected, ours), DATABASE_MISMATCH);
        }
        return next(input);
      },
    },
  });

export interface WorkerOptions {
  address: string;
  namespace: string;
  deps: ActivityDeps;
  workflowBundlePath: string;
  taskQueues?: { extract: string; main: string };
  /** time a running batch gets to checkpoint on shutdown */
  shutdownGraceTime?: string;
}

export interface RunningWorkers {
  /** resolves when both workers have stopped */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

export async function startWorkers(opts: WorkerOptions): Promise<RunningWorkers> {
  installRuntimeLogger(opts.deps.log);
  const queues = opts.taskQueues ?? TASK_QUEUES;
  const databaseId = await databaseIdOf(opts.deps.db);
  const connection = await NativeConnection.connect({ address: opts.address });
  try {
    await assertQueuesShareDatabase(connection.workflowService, opts.namespace, [queues.main, queues.extract], databaseId, 'worker');
  } catch (err) {
    await connection.close();
    throw err;
  }
  const activities = createActivities(opts.deps);
  const grace = (opts.shutdownGraceTime ?? '30 seconds') as '30 seconds';
  // past grace and force time the worker gives up waiting and the process may exit
  const force = '60 seconds';
  // the identity the server lists for our pollers names our database: the start check of others reads it
  const common = {
    connection,
    namespace: opts.namespace,
    identity: workerIdentity(databaseId),
    activities,
    shutdownGraceTime: grace,
    shutdownForceTime: force,
    interceptors: { activity: [databaseIdentityCheck(opts.deps.db), heartbeatWhileRunning] },
  };
  const main = await Worker.create({
    ...common,
    taskQueue: queues.main,
    workflowBundle: { codePath: opts.workflowBundlePath },
    maxConcurrentActivityTaskExecutions: opts.deps.config.mainConcurrency,
  });
  const extract = await Worker.create({
    ...common,
    taskQueue: queues.extract,
    maxConcurrentActivityTaskExecutions: opts.deps.config.extractConcurrency,
  });
  const done = Promise.all([main.run(), extract.run()]).then(async () => {
    await connection.close();
  });
  return {
    done,
    async shutdown() {
      for (const w of [main, extract]) if (w.getState() === 'RUNNING') w.shutdown();
      await done;
    },
  };
}

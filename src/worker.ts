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
import { type ActivityInterceptorsFactory, DefaultLogger, NativeConnection, Runtime, Worker, type LogEntry } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { TASK_QUEUES } from './config';
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
  const connection = await NativeConnection.connect({ address: opts.address });
  const activities = createActivities(opts.deps);
  const grace = (opts.shutdownGraceTime ?? '30 seconds') as '30 seconds';
  // past grace and force time the worker gives up waiting and the process may exit
  const force = '60 seconds';
  const common = { connection, namespace: opts.namespace, activities, shutdownGraceTime: grace, shutdownForceTime: force, interceptors: { activity: [heartbeatWhileRunning] } };
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

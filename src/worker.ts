/**
 * Workers: one process polls two task queues — heavy extraction (few at a time) and everything
 * else (workflows, normalization, loading). Scaling out is more such processes.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogEntry } from '@temporalio/worker';
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
  const main = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: queues.main,
    workflowBundle: { codePath: opts.workflowBundlePath },
    activities,
    maxConcurrentActivityTaskExecutions: opts.deps.config.mainConcurrency,
    shutdownGraceTime: grace,
  });
  const extract = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: queues.extract,
    activities,
    maxConcurrentActivityTaskExecutions: opts.deps.config.extractConcurrency,
    shutdownGraceTime: grace,
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

/**
 * A worker in a process of its own (`node bin/tongchou.cjs worker`), for tests that kill workers:
 * spawn it with the services in its environment (DATABASE_URL, TEMPORAL_ADDRESS,
 * TONGCHOU_WORKFLOW_BUNDLE), wait until it polls both task queues, kill it with any signal.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TASK_QUEUES } from '../../src/config';
import { sleep } from '../../src/services/ports';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'tongchou.cjs');

export interface WorkerProcess {
  pid: number;
  /** SIGKILL for a crash, SIGTERM for a graceful shutdown */
  kill(signal: NodeJS.Signals): void;
  /** resolves when the process has exited */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** what the process wrote so far (stdout and stderr), for failure messages */
  output(): string;
}

export interface SpawnWorkerOptions {
  /** the worker's command line after `node`; default `bin/tongchou.cjs worker` */
  args?: string[];
  /** task queues it serves, to wait for (default the production names) */
  taskQueues?: { extract: string; main: string };
  readyTimeoutMs?: number;
}

/** Starts a worker process and resolves once its pollers are on both task queues. */
export async function spawnWorker(env: Record<string, string>, opts: SpawnWorkerOptions = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, opts.args ?? [BIN, 'worker'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const proc: WorkerProcess = {
    pid: child.pid!,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    exited,
    output: () => out,
  };
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    await waitForPollers(env.TEMPORAL_ADDRESS!, proc.pid, opts.taskQueues ?? TASK_QUEUES, opts.readyTimeoutMs ?? 60_000, () => gone);
  } catch (err) {
    proc.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n--- worker output ---\n${out}`);
  }
  return proc;
}

/** The server lists a worker's pollers by identity, `<pid>@<host>`: ready when both queues have one. */
async function waitForPollers(address: string, pid: number, queues: { extract: string; main: string }, timeoutMs: number, gone: () => boolean): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (gone()) throw new Error(`worker process ${pid} exited before it was ready`);
      const ready = await Promise.all(
        [queues.main, queues.extract].map(async (name) => {
          const res = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name }, taskQueueType: 2 /* activity */ });
          return (res.pollers ?? []).some((p) => p.identity?.startsWith(`${pid}@`));
        }),
      );
      if (ready.every(Boolean)) return;
      if (Date.now() > deadline) throw new Error(`worker process ${pid} did not poll ${queues.main} and ${queues.extract} within ${timeoutMs} ms`);
      await sleep(200);
    }
  } finally {
    await connection.close();
  }
}

/**
 * Supervision of a local service this process started (the embedded PostgreSQL, the Temporal dev
 * server): when its process dies unexpectedly (a SIGKILL, an OOM kill, a crash) it is started again
 * on the same port and data, after a growing pause, at most `maxRestarts` times in a row (a run of
 * `healthyMs` without a crash starts the count afresh). Each event is one plain line on stderr,
 * never on stdout, which may be a --json result.
 */
import type { ChildProcess } from 'node:child_process';
import { sleep } from './ports';

export interface SupervisionOptions {
  maxRestarts?: number;
  /** pause before the n-th restart in a row (the last one repeats) */
  backoffMs?: readonly number[];
  healthyMs?: number;
  /** where the one-line messages go; default stderr */
  notice?: (line: string) => void;
}

export const stderrNotice = (line: string): void => {
  process.stderr.write(`tongchou: ${line}\n`);
};

const exited = (child: ChildProcess | undefined) => !child || child.exitCode !== null || child.signalCode !== null;
const why = (code: number | null, signal: NodeJS.Signals | null) => (signal ? `killed by ${signal}` : `exit code ${code}`);

export interface Supervisor {
  /** the process running now, if any */
  current(): ChildProcess | undefined;
  /** settles (never rejects) with the reason when supervision gives up: the service is gone */
  failed: Promise<Error>;
  /** stops supervising and stops the process (with `stopChild` while it runs) */
  stop(stopChild: (child: ChildProcess) => Promise<void>): Promise<void>;
}

/**
 * Watches the process `startOnce` returns (started and ready) and restarts it when it exits while
 * not being stopped. `onRestart` hears of each new process (state files record its pid).
 */
export async function supervise(
  name: string,
  startOnce: () => Promise<ChildProcess>,
  opts: SupervisionOptions & { onRestart?: (child: ChildProcess) => void } = {},
): Promise<Supervisor> {
  const maxRestarts = opts.maxRestarts ?? 5;
  const backoff = opts.backoffMs ?? [500, 1_000, 2_000, 4_000, 8_000];
  const healthyMs = opts.healthyMs ?? 60_000;
  const notice = opts.notice ?? stderrNotice;
  let stopping = false;
  let restarting: Promise<void> | undefined;
  let inARow = 0;
  let since = Date.now();
  let giveUp: (err: Error) => void = () => {};
  const failed = new Promise<Error>((resolve) => (giveUp = resolve));
  let child = await startOnce();

  const restart = async (code: number | null, signal: NodeJS.Signals | null): Promise<void> => {
    if (Date.now() - since > healthyMs) inARow = 0;
    let reason = why(code, signal);
    while (!stopping) {
      if (inARow >= maxRestarts) {
        const line = `${name} stopped (${reason}) and was restarted ${maxRestarts} times in a row: giving up`;
        notice(line);
        giveUp(new Error(line));
        return;
      }
      const pause = backoff[Math.min(inARow, backoff.length - 1)]!;
      inARow += 1;
      notice(`${name} stopped unexpectedly (${reason}); restarting in ${pause} ms (restart ${inARow} of at most ${maxRestarts})`);
      await sleep(pause);
      if (stopping) return;
      try {
        child = await startOnce();
        since = Date.now();
        notice(`${name} restarted (pid ${child.pid})`);
        opts.onRestart?.(child);
        watch(child);
        return;
      } catch (err) {
        reason = `restart failed: ${err instanceof Error ? err.message : String(err ?? 'exited while starting')}`;
      }
    }
  };

  const watch = (c: ChildProcess) => {
    c.once('exit', (code, signal) => {
      if (!stopping && c === child) restarting = restart(code, signal);
    });
  };
  watch(child);

  return {
    current: () => (exited(child) ? undefined : child),
    failed,
    async stop(stopChild) {
      stopping = true;
      await restarting;
      if (!exited(child)) await stopChild(child);
    },
  };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function terminate(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (exited(child)) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

/**
 * Supervision of local services (src/services/supervise.ts) on real processes: a killed process is
 * started again after a pause, with one line per event; restarts in a row are bounded; a stopped
 * one stays stopped. And the real Temporal dev server, killed with SIGKILL, comes back on its port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { sleep } from '../../src/services/ports';
import { supervise, terminate } from '../../src/services/supervise';
import { findTemporalCli, startDevServer, waitForTemporal } from '../../src/services/temporal';

const startSleeper = async (): Promise<ChildProcess> => {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return child;
};

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}

test('a killed process is restarted with one line per event, at most maxRestarts times in a row; a stopped one is not', async () => {
  const lines: string[] = [];
  const s = await supervise('sleeper', startSleeper, { maxRestarts: 2, backoffMs: [10, 20], notice: (l) => lines.push(l) });
  const first = s.current()!;
  first.kill('SIGKILL');
  await until(() => lines.some((l) => l.startsWith('sleeper restarted')));
  expect(lines).toEqual(['sleeper stopped unexpectedly (killed by SIGKILL); restarting in 10 ms (restart 1 of at most 2)', `sleeper restarted (pid ${s.current()!.pid})`]);
  expect(s.current()!.pid).not.toBe(first.pid);

  s.current()!.kill('SIGKILL');
  await until(() => lines.length === 4);
  s.current()!.kill('SIGTERM');
  await until(() => lines.length === 5);
  expect(lines[2]).toMatch(/restarting in 20 ms \(restart 2 of at most 2\)/);
  expect(lines[4]).toBe('sleeper stopped (killed by SIGTERM) and was restarted 2 times in a row: giving up');
  expect(s.current()).toBeUndefined();
  // whoever depends on the service hears that it is gone for good
  expect((await s.failed).message).toBe(lines[4]);
  await s.stop((c) => terminate(c));

  const quiet: string[] = [];
  const t = await supervise('sleeper', startSleeper, { backoffMs: [10], notice: (l) => quiet.push(l) });
  const pid = t.current()!.pid!;
  await t.stop((c) => terminate(c));
  await sleep(100);
  expect(quiet).toEqual([]);
  expect(await Promise.race([t.failed, sleep(50).then(() => 'not failed')])).toBe('not failed');
  expect(() => process.kill(pid, 0)).toThrow();
});

test('the Temporal dev server killed with SIGKILL is restarted on the same address', async () => {
  const lines: string[] = [];
  const server = await startDevServer({ cliPath: findTemporalCli({ temporalCliPath: process.env.TEMPORAL_CLI_PATH }), headless: true, supervision: { notice: (l) => lines.push(l) } });
  try {
    process.kill(server.pid, 'SIGKILL');
    await until(() => lines.some((l) => l.startsWith('Temporal dev server restarted')), 60_000);
    expect(lines[0]).toBe('Temporal dev server stopped unexpectedly (killed by SIGKILL); restarting in 500 ms (restart 1 of at most 5)');
    await waitForTemporal(server.address, 10_000);
  } finally {
    await server.stop();
  }
}, 120_000);

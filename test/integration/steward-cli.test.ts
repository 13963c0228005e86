/**
 * The steward commands as an operator runs them, against the test's database and Temporal server:
 * accounts, the queue at the terminal, a fix resubmitted through the steward desk, the Excel
 * export, the audit log. One run goes through the real binary (a child process); the others parse
 * the same command line in this process, which loads the program once.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as XLSX from 'xlsx';
import { registerRejectCommands } from '../../src/cli/commands/rejects';
import { registerStewardCommands } from '../../src/cli/commands/steward';
import { registerUserCommands } from '../../src/cli/commands/users';
import { createProgram } from '../../src/cli/program';
import { CHANGSHA, correctedId, firstReject, migrateCity, writeStewardCities } from '../browser/steward-fixture';
import { createTestDatabase, temporalAddress, tmpDir, workflowBundle, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../bin/tongchou.cjs');

let tdb: TestDatabase;
let temporal: TestTemporal;
let dir: string;

beforeAll(async () => {
  // commands that resubmit run workers in-process, on the bundle the run built
  process.env.TONGCHOU_WORKFLOW_BUNDLE = workflowBundle();
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  dir = tmpDir('steward-cli');
  const mappings = await writeStewardCities(dir);
  await migrateCity(temporal, mappings[CHANGSHA]!, 'cli-cs');
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

const globals = () => ['--database-url', tdb.url, '--temporal-address', temporalAddress(), '--data-dir', path.join(dir, 'data-dir'), '--log-level', 'silent'];

/** The real binary in a child process. */
async function binary(args: string[], stdin?: string): Promise<{ stdout: string; code: number }> {
  const env = { ...process.env, TONGCHOU_WORKFLOW_BUNDLE: workflowBundle() };
  const child = run(process.execPath, [BIN, ...globals(), ...args], { env, cwd: dir, maxBuffer: 10_000_000 });
  child.child.stdin!.end(stdin ?? '');
  try {
    return { stdout: (await child).stdout, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout + e.stderr, code: e.code };
  }
}

/** The same command line parsed in this process; stdout captured, an error's message returned. */
async function tongchou(args: string[]): Promise<{ stdout: string; code: number }> {
  const program = createProgram().exitOverride();
  for (const register of [registerUserCommands, registerRejectCommands, registerStewardCommands]) register(program);
  let stdout = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'tongchou', ...globals(), ...args]);
    return { stdout, code: 0 };
  } catch (err) {
    return { stdout: stdout + (err as Error).message, code: 1 };
  } finally {
    spy.mockRestore();
  }
}

test('users add|list|disable|reset: generated passwords shown once, bad scopes refused', async () => {
  const added = await tongchou(['users', 'add', 'Li.Na', '--role', 'steward', '--city', CHANGSHA, '--name', '李娜', '--json']);
  expect(added.code).toBe(0);
  const account = JSON.parse(added.stdout) as { username: string; role: string; cities: string; password: string };
  expect(account).toMatchObject({ username: 'li.na', role: 'steward', cities: CHANGSHA });
  expect(account.password.length).toBeGreaterThanOrEqual(16);
  // the binary itself, reading a password from standard input
  expect(await binary(['users', 'add', 'ops', '--role', 'admin', '--password-stdin'], 'a long admin passphrase\n')).toMatchObject({ code: 0, stdout: 'added ops (admin)\n' });
  expect((await tongchou(['users', 'add', 'wang', '--role', 'steward'])).stdout).toContain('at least one division code');
  expect((await tongchou(['users', 'add', 'li.na', '--role', 'engineer'])).stdout).toContain('exists');

  expect((await tongchou(['users', 'disable', 'li.na'])).stdout).toContain('disabled li.na');
  const list = JSON.parse((await tongchou(['users', 'list', '--json'])).stdout) as { username: string; disabled: string }[];
  expect(list.map((a) => [a.username, !!a.disabled])).toEqual([
    ['li.na', true],
    ['ops', false],
  ]);
  const reset = await tongchou(['users', 'reset', 'li.na', '--enable']);
  expect(reset.stdout).toMatch(/password \(shown once\): \S{16}/);
  expect(await tdb.db('pipeline.audit_log').where({ target: 'user:li.na' }).orderBy('id').pluck('action')).toEqual(['user.add', 'user.disable', 'user.reset']);
});

test('rejects list|show|fix --resubmit|export at the terminal, scoped with --as', async () => {
  const r = await firstReject(tdb, CHANGSHA, 'id_number.checksum');
  const listed = JSON.parse((await tongchou(['rejects', 'list', '--city', CHANGSHA, '--reason', 'id_number.checksum', '--json'])).stdout) as { total: number; rows: { id: string }[] };
  expect(listed).toMatchObject({ total: 1, rows: [{ id: r.id }] });

  const shown = await tongchou(['rejects', 'show', r.id]);
  expect(shown.stdout).toContain('身份证号校验位错误');
  expect(shown.stdout).not.toContain(String(r.fields.id_number));
  // a steward of another city may not see it
  await tongchou(['users', 'add', 'zz', '--role', 'steward', '--city', '430200']);
  expect(await tongchou(['rejects', 'show', r.id, '--as', 'zz'])).toMatchObject({ code: 1, stdout: expect.stringContaining('outside your scope') });

  const fixed = await tongchou(['rejects', 'fix', r.id, '--set', `id_number=${correctedId(String(r.fields.id_number))}`, '--revision', String(r.revision), '--resubmit', '--json']);
  expect(fixed.code).toBe(0);
  expect(JSON.parse(fixed.stdout)).toMatchObject({ revision: r.revision + 1, preview: { kind: 'record' }, outcome: { loaded: 1 } });
  expect(await tdb.db('pipeline.reject').where({ id: r.id }).first('status', 'decided_by')).toMatchObject({ status: 'resolved' });

  const out = path.join(dir, 'out.xlsx');
  const exported = await tongchou(['rejects', 'export', '--city', CHANGSHA, '--reason', 'code.unmapped', out]);
  expect(exported.stdout).toContain('3 rejects');
  expect(XLSX.read(fs.readFileSync(out), { type: 'buffer' }).SheetNames).toEqual(['说明', '参保单位']);

  const audit = JSON.parse((await tongchou(['steward', 'audit', '--action', 'rejects.', '--json'])).stdout) as { total: number; rows: { action: string }[] };
  expect(audit.rows.map((x) => x.action)).toEqual(['rejects.export']);
});

/**
 * The operator's commands as an operator runs them, in processes of their own: `tongchou migrate
 * --manifest` with its output captured (not a terminal: plain lines) shows progress that moves
 * while a large source loads; `status` and `report` (text, JSON, workbook) read the finished run.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { dedicatedTemporal } from '../fault/fault-support';
import { writeProvince, type ProvinceFixture } from '../support/province-fixture';
import { createTestDatabase, tmpDir, workflowBundle, type TestDatabase } from '../support/services';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'tongchou.cjs');

let tdb: TestDatabase;
let temporal: Awaited<ReturnType<typeof dedicatedTemporal>>;
let fx: ProvinceFixture;
let env: Record<string, string>;

beforeAll(async () => {
  // a server of its own: the command's workers poll the production task queue names
  [tdb, temporal] = await Promise.all([createTestDatabase(), dedicatedTemporal()]);
  fx = await writeProvince(tmpDir('cli'), {
    cities: [
      { code: '430100', name: '长沙市', rows: 4000, seed: 51 },
      { code: '430200', name: '株洲市', rows: 300, seed: 52 },
    ],
    batchRows: 100,
    concurrency: { cities: 2, batches: 2 },
  });
  env = { DATABASE_URL: tdb.url, TEMPORAL_ADDRESS: temporal.server.address, TONGCHOU_WORKFLOW_BUNDLE: workflowBundle(), TONGCHOU_DATA_DIR: tmpDir('cli-data'), LOG_LEVEL: 'warn' };
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

function tongchou(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

test('migrate --manifest, not on a terminal, prints progress lines that move while a large source loads', async () => {
  const run = await tongchou('migrate', '--manifest', fx.manifestPath);
  expect(run.stderr).not.toMatch(/error/i);
  expect(run.code).toBe(0);
  expect(run.stdout).not.toContain('\x1b['); // no terminal control codes in plain output

  // the large roster's lines: rows through the pass, as they grew
  const seen = [...run.stdout.matchAll(/^\[\d\d:\d\d:\d\d\] 430100 长沙市 {2}(normalizing|loading) {2}\d+% {2}persons\/\S*persons\.csv: ([\d,]+)\/([\d,]+) rows/gm)].map((m) => ({
    pass: m[1],
    rows: Number(m[2]!.replace(/,/g, '')),
    total: Number(m[3]!.replace(/,/g, '')),
  }));
  expect(seen.length).toBeGreaterThanOrEqual(3);
  expect(new Set(seen.map((s) => `${s.pass} ${s.rows}`)).size).toBeGreaterThanOrEqual(3);
  // the rows to do: the 4,000 data rows and the lines above them, known once landed
  expect(new Set(seen.map((s) => s.total))).toEqual(new Set([seen[0]!.total]));
  expect(seen[0]!.total).toBeGreaterThan(4000);
  const normalizing = seen.filter((s) => s.pass === 'normalizing').map((s) => s.rows);
  expect(normalizing).toEqual([...normalizing].sort((a, b) => a - b));
  expect(run.stdout).toMatch(/430100 长沙市 {2}done {2}100%/);
  // the report at the end: the cities, their sum, and the accounting that adds up
  expect(run.stdout).toMatch(/湖南省 \(43\) — province report #1/);
  expect(run.stdout).toMatch(/read 4\d{3} = loaded \d+ \+ rejected \d+ \+ skipped \d+ \+ duplicates \d+ {2}✓/);
}, 120_000);

test('status and report read the finished run; the workbook has the province summary and a sheet per city', async () => {
  const status = await tongchou('status', '--manifest', fx.manifestPath);
  expect(status.stderr).toBe('');
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(/province-migration\/43: completed, cities done 2\/2/);

  const file = path.join(tmpDir('xlsx'), 'province.xlsx');
  const json = await tongchou('report', '--province', '43', '--json', '--xlsx', file);
  expect(json.code).toBe(0);
  const report = JSON.parse(json.stdout) as { totals: { read: number }; cities: { totals: { read: number } }[] };
  expect(report.totals.read).toBe(report.cities.reduce((n, c) => n + c.totals.read, 0));

  const book = XLSX.readFile(file);
  expect(book.SheetNames).toEqual(['全省汇总 湖南省', '430100 长沙市', '430200 株洲市']);
  const summary = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets['全省汇总 湖南省']!, { header: 1 });
  expect(summary[0]).toEqual(['市 city', '名称 name', '状态 status', '来源 sources', '落地 landed', '读取 read', '入库 loaded', '拒收 rejected', '跳过 skipped', '重复 duplicates']);
  expect(summary[3]!.slice(0, 2)).toEqual(['43', '湖南省 全省 province']);
  expect(summary[3]![5]).toBe(report.totals.read);
  // reasons in both languages
  expect(summary).toContainEqual(expect.arrayContaining(['拒收原因 reject reason', 'id_number.checksum', '身份证号校验位错误', 'Resident ID: wrong check character']));
}, 120_000);

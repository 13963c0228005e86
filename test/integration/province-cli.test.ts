/**
 * The operator's commands as an operator runs them, in processes of their own: `tongchou migrate
 * --manifest` with its output captured (not a terminal: plain lines) shows progress that moves
 * while a large source loads, and `status --watch` beside it follows the run a line per refresh,
 * monotone, paused shown as paused; `status` and `report` (text, JSON, workbook) read the
 * finished run; after steward fixes the report counts the fixed rejects as loaded.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { dedicatedTemporal } from '../fault/fault-support';
import { correctedId } from '../browser/steward-fixture';
import { pauseSignal, resumeSignal } from '../../workflows/signals';
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
  env = { DATABASE_URL: tdb.url, TEMPORAL_ADDRESS: temporal.server.address, TONGCHOU_WORKFLOW_BUNDLE: workflowBundle(), TONGCHOU_DATA_DIR: tmpDir('cli-data'), LOG_LEVEL: 'warn', TEMPORAL_UI_URL: 'http://temporal-ui.example:8080/' };
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

function tongchou(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return tongchouLines(() => undefined, ...args);
}

/** Runs a command, calling `onLine` with each line of its stdout as it arrives (and `onStderr` with its stderr). */
function tongchouLines(onLine: (line: string) => void, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return tongchouStreams(onLine, () => undefined, ...args);
}

function tongchouStreams(onLine: (line: string) => void, onStderr: (text: string) => void, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stderr.on('data', (d: Buffer) => onStderr(stderr + d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    lines.forEach(onLine);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

const UI = 'http://temporal-ui.example:8080/namespaces/default/workflows/province-migration%2F43';
const percentOf = (line: string, city: string): number | null => {
  const m = new RegExp(`${city} \\S+ (\\S+) (\\d+)%`).exec(line);
  return m ? Number(m[2]) : null;
};

test('migrate --manifest, not on a terminal, prints progress lines that move while a large source loads; status --watch follows it', async () => {
  // status --watch beside the run, started first (it waits for the run): a line per refresh;
  // paused and resumed midway
  const seen: { at: number; line: string }[] = [];
  let control: Promise<unknown> = Promise.resolve();
  let pauseSent = false;
  let resumeSent = false;
  let startMigrate: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => (startMigrate = resolve));
  const migrating = waiting.then(() => tongchou('migrate', '--manifest', fx.manifestPath));
  const watching = (async () => {
    return tongchouStreams(
      (line) => {
        seen.push({ at: Date.now(), line });
        // paused as soon as the run is seen, by a signal from here (the `pause` command takes seconds
        // to start on a busy machine: a short run could end first); resumed after three refreshes
        const run = temporal.client.workflow.getHandle('province-migration/43');
        if (!pauseSent && /长沙市 /.test(line) && !/: completed, /.test(line)) {
          pauseSent = true;
          control = run.signal(pauseSignal);
        }
        if (pauseSent && !resumeSent && seen.filter((s) => /: paused, /.test(s.line)).length >= 3) {
          resumeSent = true;
          control = control.then(() => run.signal(resumeSignal));
        }
      },
      (stderr) => {
        if (/waiting for it to start/.test(stderr)) startMigrate();
      },
      'status', '--manifest', fx.manifestPath, '--watch',
    );
  })();
  const watch = await watching;
  startMigrate(); // (already, unless the watch failed)
  const run = await migrating;
  await control;
  expect(watch.code).toBe(0);
  expect(watch.stdout).not.toContain('\x1b[');
  // the Temporal UI link, at the default log level
  expect(watch.stderr).toContain(`Temporal UI: ${UI}`);
  expect(watch.stderr).toContain('no province-migration/43 yet: waiting for it to start');
  expect(run.stderr).toContain(`Temporal UI: ${UI}`);

  // one line per refresh, each a timestamp (CST) and the whole run
  const lines = seen.map((s) => s.line).filter(Boolean);
  expect(lines.length).toBeGreaterThanOrEqual(5);
  // (the province's name is known once the run has read its manifest: `preparing` comes before)
  for (const l of lines) expect(l).toMatch(/^\[\d\d:\d\d:\d\d\] (湖南省 \(43\) )?province-migration\/43: /);
  expect(lines.filter((l) => l.includes('湖南省 (43) ')).length).toBeGreaterThanOrEqual(4);
  // refreshes follow each other at about the interval: the query of the running workflow is quick
  const gaps = seen.slice(1).map((s, i) => s.at - seen[i]!.at).sort((a, b) => a - b);
  expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(1_600);
  // percentages never go backwards, and appear only once the city's total is known
  for (const city of ['长沙市', '株洲市']) {
    const shares = lines.map((l) => percentOf(l, city)).filter((p): p is number => p !== null);
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
  }
  for (const l of lines.filter((x) => / 长沙市 (normalizing|loading) /.test(x))) expect(l).toMatch(/长沙市 (normalizing|loading) \d+% persons\/\S*persons\.csv: [\d,]+\/[\d,]+ rows/);
  // paused: shown as paused, with no rate and no time left
  expect(pauseSent && resumeSent).toBe(true);
  const paused = lines.filter((l) => /: paused, /.test(l));
  expect(paused.length).toBeGreaterThanOrEqual(3);
  for (const l of paused) {
    expect(l).toMatch(/长沙市 paused/);
    expect(l).not.toMatch(/rows\/s|ETA/);
  }
  // within the run of the big roster, time left only shrinks (a pause stops its clock)
  const etas = lines.filter((l) => !/: paused, /.test(l)).map((l) => /长沙市 [^|]*ETA (\d+):(\d\d):(\d\d)/.exec(l)).filter((m) => m).map((m) => Number(m![1]) * 3600 + Number(m![2]) * 60 + Number(m![3]));
  expect(etas.length).toBeGreaterThanOrEqual(2);
  expect(etas).toEqual([...etas].sort((a, b) => b - a));
  expect(lines.at(-1)).toMatch(/: completed, cities done 2\/2/);

  expect(run.stderr).not.toMatch(/error/i);
  expect(run.code).toBe(0);
  expect(run.stdout).not.toContain('\x1b['); // no terminal control codes in plain output

  // the large roster's lines: rows through the pass, as they grew
  const roster = [...run.stdout.matchAll(/^\[\d\d:\d\d:\d\d\] 430100 长沙市 {2}(normalizing|loading) {2}\d+% {2}persons\/\S*persons\.csv: ([\d,]+)\/([\d,]+) rows/gm)].map((m) => ({
    pass: m[1],
    rows: Number(m[2]!.replace(/,/g, '')),
    total: Number(m[3]!.replace(/,/g, '')),
  }));
  expect(roster.length).toBeGreaterThanOrEqual(3);
  expect(new Set(roster.map((s) => `${s.pass} ${s.rows}`)).size).toBeGreaterThanOrEqual(3);
  // the rows to do: the 4,000 data rows and the lines above them, known once landed
  expect(new Set(roster.map((s) => s.total))).toEqual(new Set([roster[0]!.total]));
  expect(roster[0]!.total).toBeGreaterThan(4000);
  const normalizing = roster.filter((s) => s.pass === 'normalizing').map((s) => s.rows);
  expect(normalizing).toEqual([...normalizing].sort((a, b) => a - b));
  expect(run.stdout).toMatch(/430100 长沙市 {2}done {2}100%/);
  // the report at the end: the cities, their sum, and the accounting that adds up
  expect(run.stdout).toMatch(/湖南省 \(43\) — province report #1/);
  expect(run.stdout).toMatch(/read 4\d{3} = loaded \d+ \+ rejected \d+ \+ skipped \d+ \+ duplicates \d+ {2}✓/);
}, 120_000);

interface Counts { read: number; loaded: number; rejected: number; skipped: number; duplicates: number; fixed?: number }
interface ReportJson { totals: Counts; cities: { cityCode: string; totals: Counts }[] }
let firstReport: ReportJson;

test('status and report read the finished run; the workbook has the province summary and a sheet per city', async () => {
  const status = await tongchou('status', '--manifest', fx.manifestPath);
  expect(status.stderr).toBe(`Temporal UI: ${UI}\n`);
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(/province-migration\/43: completed, cities done 2\/2/);

  const file = path.join(tmpDir('xlsx'), 'province.xlsx');
  const json = await tongchou('report', '--province', '43', '--json', '--xlsx', file);
  expect(json.code).toBe(0);
  firstReport = JSON.parse(json.stdout) as ReportJson;
  expect(firstReport.totals.read).toBe(firstReport.cities.reduce((n, c) => n + c.totals.read, 0));

  const book = XLSX.readFile(file, { cellNF: true });
  expect(book.SheetNames).toEqual(['全省汇总 湖南省', '430100 长沙市', '430200 株洲市']);
  const summary = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets['全省汇总 湖南省']!, { header: 1, defval: '' });
  expect(summary[0]![0]).toBe('湖南省工伤保险数据迁移报告（全省汇总）');
  expect(summary[1]![0]).toBe('单位：元');
  expect(summary[1]!.at(-1)).toMatch(/^制表日期：\d{4}年\d{1,2}月\d{1,2}日$/);
  expect(summary[2]!.slice(0, 7)).toEqual(['市代码', '市名称', '状态', '来源数', '落地行数', '读取行数', '入库行数']);
  expect(summary[5]!.slice(0, 2)).toEqual(['43', '湖南省合计']);
  expect(summary[5]![5]).toBe(firstReport.totals.read);
  expect(book.Sheets['全省汇总 湖南省']!.F6!.z).toBe('#,##0');
  // reasons in Chinese only; no absolute path anywhere
  expect(summary).toContainEqual(expect.arrayContaining(['拒收原因', 'id_number.checksum', '身份证号校验位错误']));
  expect(JSON.stringify(summary)).not.toContain(fx.dir);
}, 120_000);

test('after 5 steward fixes the report counts them as loaded: rejected −5, loaded +5, duplicates unchanged', async () => {
  const db = tdb.db;
  const rejects = (await db('pipeline.reject').where({ city_code: '430100', status: 'open' }).whereRaw("codes = ARRAY['id_number.checksum']::text[]").orderBy('id').limit(5).select('id', 'fields')) as { id: string; fields: Record<string, string> }[];
  expect(rejects).toHaveLength(5);
  // the steward path at the terminal: save each fix, then resubmit them through the city's steward desk
  for (const r of rejects) {
    const fix = await tongchou('rejects', 'fix', String(r.id), '--set', `id_number=${correctedId(String(r.fields.id_number))}`);
    expect(fix.code).toBe(0);
  }
  const resubmitted = await tongchou('rejects', 'resubmit', ...rejects.map((r) => String(r.id)), '--json');
  expect(resubmitted.code).toBe(0);
  expect(JSON.parse(resubmitted.stdout)).toMatchObject({ staged: 5, loaded: 5, rejected: 0 });

  const file = path.join(tmpDir('xlsx'), 'province-after.xlsx');
  const after = await tongchou('report', '--province', '43', '--json', '--xlsx', file);
  expect(after.code).toBe(0);
  const now = JSON.parse(after.stdout) as ReportJson;
  const was = firstReport.cities.find((c) => c.cityCode === '430100')!.totals;
  const is = now.cities.find((c) => c.cityCode === '430100')!.totals;
  expect(is.rejected).toBe(was.rejected - 5);
  expect(is.loaded).toBe(was.loaded + 5);
  expect(is.duplicates).toBe(was.duplicates);
  expect(is.skipped).toBe(was.skipped);
  expect(is.read).toBe(was.read);
  expect(is.fixed).toBe(5);
  expect(now.totals).toMatchObject({ rejected: firstReport.totals.rejected - 5, loaded: firstReport.totals.loaded + 5, duplicates: firstReport.totals.duplicates });
  // the workbook says the same
  const summary = XLSX.utils.sheet_to_json<unknown[]>(XLSX.readFile(file).Sheets['全省汇总 湖南省']!, { header: 1, defval: '' });
  const changsha = summary.find((r) => r[0] === '430100')!;
  expect(changsha.slice(6, 11)).toEqual([was.loaded + 5, 5, was.rejected - 5, was.skipped, was.duplicates]);
}, 180_000);

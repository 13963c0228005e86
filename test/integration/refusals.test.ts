/**
 * What migrate refuses, on the real Temporal dev server and PostgreSQL (issue #14, "Bad input and
 * failures"): a set of ordinary bad mappings — a sheet name the workbook does not have, a header
 * that is not in the file, a missing or unreadable file, a broken workbook, an unknown encoding,
 * an unknown entity or code table, too many rejects — each
 * - fails the workflow at its first attempt with a non-retryable ApplicationFailure of a stable
 *   type (never 50 silent retries), naming the file and sheet/table, and
 * - is refused by `mapping check` too (the same functions decide both), while a good mapping
 *   passes check and migrates.
 * `tongchou migrate` (--mapping and --manifest) in a process of its own prints the cause with
 * file, sheet and row, not "Workflow execution failed".
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import * as XLSX from 'xlsx';
import { stringify } from 'yaml';
import { idCheckChar } from '../../src/domain/rules/resident-id';
import { checkMapping } from '../../src/mapping/check';
import { cityMigration } from '../../workflows/city-migration';
import { dedicatedTemporal } from '../fault/fault-support';
import { createTestDatabase, tmpDir, workflowBundle, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'tongchou.cjs');
const FUND_POLICY = path.resolve(__dirname, '..', '..', 'mappings', 'province', 'fund-policy-unified.yaml');
const id = (first17: string) => first17 + idCheckChar(first17);

let tdb: TestDatabase;
let temporal: TestTemporal;
let root: string;

const GOOD = {
  city: { code: '430100', name: '长沙市' },
  sources: [{ id: 'roster', files: ['roster.xlsx'], tables: [{ stream: '参保人员', entity: 'person', columns: { id_number: '身份证号', name: '姓名' } }] }],
};
type MappingDoc = typeof GOOD & Record<string, unknown>;
const clone = (): MappingDoc => JSON.parse(JSON.stringify(GOOD)) as MappingDoc;
const table = (m: MappingDoc) => m.sources[0]!.tables[0]! as Record<string, unknown>;

function writeRoster(file: string, sheets: Record<string, unknown[][]> = {}): void {
  const book = XLSX.utils.book_new();
  const people = [['长沙市参保人员名册'], ['身份证号', '姓名'], [id('43010219800101101'), '张三'], [id('43010219850505202'), '李四']];
  for (const [name, rows] of Object.entries({ 参保人员: people, ...sheets })) XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), name);
  XLSX.writeFile(book, file);
}

interface Case {
  name: string;
  /** the failure type migrate stops with */
  type: string;
  /** what check's problem and migrate's message both say */
  says: RegExp;
  setUp(dir: string, m: MappingDoc): void;
}

const CASES: Case[] = [
  { name: 'a sheet name the workbook does not have', type: 'StreamNotInFile', says: /roster\.xlsx: no sheet\/table "人员名册" \(the file has: "参保人员"\)/, setUp: (_d, m) => void (table(m).stream = '人员名册') },
  {
    name: 'a header the sheet does not have',
    type: 'ColumnNotFound',
    says: /roster\.xlsx \[参保人员\]: no column "职工姓名" for name .*header row 2/,
    setUp: (_d, m) => void ((table(m).columns as Record<string, string>).name = '职工姓名'),
  },
  { name: 'a file pattern matching nothing', type: 'SourceMissing', says: /source roster matches no file \(roster-2024\.xlsx\)/, setUp: (_d, m) => void (m.sources[0]!.files = ['roster-2024.xlsx']) },
  {
    name: 'a file that cannot be read',
    type: 'SourceUnreadable',
    says: /roster-dir\.xlsx: cannot read file: not a regular file/,
    setUp: (d, m) => {
      fs.mkdirSync(path.join(d, 'roster-dir.xlsx'));
      m.sources[0]!.files = ['roster-dir.xlsx'];
    },
  },
  { name: 'a broken workbook', type: 'extract.zip_invalid', says: /roster\.xlsx.*truncated zip/, setUp: (d) => fs.writeFileSync(path.join(d, 'roster.xlsx'), Buffer.from('PK\x03\x04 cut off here')) },
  {
    name: 'an encoding no decoder knows',
    type: 'extract.encoding_unknown',
    says: /roster\.csv.*unknown encoding "gb2312-x"/,
    setUp: (d, m) => {
      fs.writeFileSync(path.join(d, 'roster.csv'), `身份证号,姓名\n${id('43010219800101101')},张三\n`);
      Object.assign(m.sources[0]!, { files: ['roster.csv'], format: 'csv', encoding: 'gb2312-x' });
      table(m).stream = '*';
    },
  },
  { name: 'an unknown entity', type: 'InvalidMapping', says: /unknown entity "persn" — did you mean "person"\?/, setUp: (_d, m) => void (table(m).entity = 'persn') },
  {
    name: 'an unknown code table',
    type: 'InvalidMapping',
    says: /no code table "sex"/,
    setUp: (d, m) => {
      writeRoster(path.join(d, 'roster.xlsx'));
      (table(m).columns as Record<string, unknown>).gender = { header: '性别', codes: 'sex' };
    },
  },
  {
    name: 'more rejects than the threshold',
    type: 'RejectThresholdExceeded',
    says: /1 of 2 rows rejected, over the threshold \{"count":0\}/,
    setUp: (d, m) => {
      const book = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['身份证号', '姓名'], [id('43010219800101101'), '张三'], ['430102198001011019', '李四']]), '参保人员');
      XLSX.writeFile(book, path.join(d, 'roster.xlsx'));
      m.reject_threshold = { count: 0 };
    },
  },
];

/** A city directory with the good roster and the mapping as `edit` leaves it. */
function cityDir(name: string, edit: (dir: string, m: MappingDoc) => void = () => undefined): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  writeRoster(path.join(dir, 'roster.xlsx'));
  const m = clone();
  edit(dir, m);
  fs.writeFileSync(path.join(dir, '430100-changsha.yaml'), stringify(m));
  return path.join(dir, '430100-changsha.yaml');
}

const slug = (name: string) => name.replace(/\W+/g, '-');

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  root = tmpDir('refusals');
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

const migrate = (workflowId: string, mappingPath: string) =>
  temporal.client.workflow.execute(cityMigration, { workflowId, taskQueue: temporal.taskQueues.main, args: [{ mappingPath, taskQueues: temporal.taskQueues }] });

test('a good mapping passes check and migrates', async () => {
  const mappingPath = cityDir('good');
  const check = await checkMapping(mappingPath, { provinceCode: '43', loadDate: '2026-12-07' });
  expect(check.problems).toEqual([]);
  expect(check.ok).toBe(true);
  const report = await migrate('refusals-good', mappingPath);
  expect(report.sources[0]!.streams[0]).toMatchObject({ stream: '参保人员', read: 3, loaded: 2, skipped: 1 });
});

test('a sheet no table binds is "not mapped", no refusal: check passes and migrate loads the rest', async () => {
  const mappingPath = cityDir('not-mapped', (d) => writeRoster(path.join(d, 'roster.xlsx'), { 说明: [['本表由系统导出']] }));
  const check = await checkMapping(mappingPath, { provinceCode: '43', loadDate: '2026-12-07' });
  expect(check.problems).toEqual([]);
  expect(check.unmappedStreams).toEqual([{ file: 'roster.xlsx', stream: '说明', rows: 1 }]);
  const report = await migrate('refusals-not-mapped', mappingPath);
  expect(report.sources[0]!.streams.map((s) => [s.stream, s.read, s.loaded + s.duplicates, s.rejected, s.notMapped ?? false])).toEqual([
    ['参保人员', 3, 2, 0, false],
    ['说明', 0, 0, 0, true],
  ]);
});

describe.each(CASES)('$name', (c) => {
  let mappingPath: string;
  beforeAll(() => {
    mappingPath = cityDir(slug(c.name), c.setUp);
  });

  test(`mapping check refuses it`, async () => {
    const check = await checkMapping(mappingPath, { provinceCode: '43', loadDate: '2026-12-07' });
    expect(check.ok).toBe(false);
    expect(check.problems.map((p) => p.message).join('\n')).toMatch(c.says);
  });

  test(`migrate stops at the first attempt: ${c.type}, not retried`, async () => {
    const err = (await migrate(`refusals-${slug(c.name)}`, mappingPath).then(
      () => undefined,
      (e: unknown) => e,
    )) as WorkflowFailedError;
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const activity = err.cause as ActivityFailure;
    expect(activity).toBeInstanceOf(ActivityFailure);
    expect(activity.retryState).toBe('NON_RETRYABLE_FAILURE');
    const failure = activity.cause as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect({ type: failure.type, nonRetryable: failure.nonRetryable }).toEqual({ type: c.type, nonRetryable: true });
    expect(failure.message).toMatch(c.says);
    // one attempt: the history holds one start of the activity that failed
    const history = await temporal.client.workflow.getHandle(`refusals-${slug(c.name)}`).fetchHistory();
    const attempts = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
    expect(attempts.every((a) => a === 1)).toBe(true);
  });
});

describe('the command line', () => {
  let server: Awaited<ReturnType<typeof dedicatedTemporal>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    // a server of its own: the command's workers poll the production task queue names
    server = await dedicatedTemporal();
    env = { DATABASE_URL: tdb.url, TEMPORAL_ADDRESS: server.server.address, TONGCHOU_WORKFLOW_BUNDLE: workflowBundle(), TONGCHOU_DATA_DIR: tmpDir('refusals-cli'), LOG_LEVEL: 'warn' };
  });
  afterAll(async () => {
    await server?.close();
  });

  function tongchou(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  }

  test('migrate --mapping prints the cause with file, sheet, row and field', async () => {
    const mappingPath = cityDir('cli-column', CASES[1]!.setUp);
    const run = await tongchou('migrate', '--mapping', mappingPath);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/roster\.xlsx \[参保人员\]: no column "职工姓名" for name/);
    expect(run.stderr).toMatch(/type: ColumnNotFound \(not retried/);
    // (the file as registered: the same bytes under the same source key are one file)
    expect(run.stderr).toMatch(/at: file \/\S+\/roster\.xlsx, sheet\/table 参保人员, row 2, field name/);
    expect(run.stderr).toMatch(/in: activity normalizeBatch/);
    expect(run.stderr).not.toMatch(/^tongchou: Workflow execution failed$/m);
  }, 60_000);

  /** `migrate --manifest` of a one-city province whose mapping is bad case `c`. */
  function migrateManifest(name: string, c: (typeof CASES)[number]) {
    const mappingPath = cityDir(name, c.setUp);
    const manifestPath = path.join(root, `${name}-province.yaml`);
    fs.writeFileSync(manifestPath, stringify({ province: { code: '43', name: '湖南省' }, fund_policy: FUND_POLICY, cities: [{ code: '430100', mapping: mappingPath }] }));
    return tongchou('migrate', '--manifest', manifestPath);
  }

  test('migrate --manifest names the city, file and sheet of the refusal', async () => {
    const run = await migrateManifest('cli-sheet', CASES[0]!);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/430100 长沙市: .*roster\.xlsx: no sheet\/table "人员名册" \(the file has: "参保人员"\)/);
    expect(run.stderr).toMatch(/type: CityMigrationFailed/);
    expect(run.stderr).toMatch(/430100 长沙市: [^\n]*\(at file \/\S+\/roster\.xlsx, sheet\/table 人员名册\)/);
  }, 60_000);

  test('migrate --manifest names the row and field of a city refusal too', async () => {
    const run = await migrateManifest('cli-manifest-column', CASES[1]!);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/430100 长沙市: [^\n]*no column "职工姓名" for name[^\n]*\(at file \/\S+\/roster\.xlsx, sheet\/table 参保人员, row 2, field name\)/);
  }, 60_000);
});

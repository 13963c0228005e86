/**
 * Hostile and broken source files through cityMigration on the real Temporal dev server and
 * PostgreSQL (issue #16): each fails the run at once, non-retryable, with the file and place named —
 * nothing landed, nothing in the steward queue, no "loaded" report over a lost sheet — and the
 * workers go on serving (a good run afterwards on the same workers completes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { writePersonsCsv } from '../../src/demo/persons-file';
import { cityMigration } from '../../workflows/city-migration';
import { createTestDatabase, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';
import { rowXml, xlsxBytes } from '../unit/extract/zip-bytes';

let tdb: TestDatabase;
let temporal: TestTemporal;
let base: string;
let cityDir: string;
let outside: string;

const PERSONS = (files: string, format = 'csv', sheet = '') => `city: { code: "430100", name: 长沙市 }
sources:
  - id: persons
    files: ${files}
    format: ${format}
    tables:
      - entity: person
${sheet ? `        stream: ${sheet}\n` : ''}        columns:
          name: ${format === 'pgdump' ? '{ column: name }' : '姓名'}
          id_number: ${format === 'pgdump' ? '{ column: id_number }' : '{ header: 身份证号, aliases: [公民身份号码] }'}
${format === 'pgdump' ? '' : '          gender: { header: 性别, codes: gender }\n        ignore: [序号, 备注]\n'}codes:
  gender: { 男: M, 女: F }
`;

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  base = fs.realpathSync(tmpDir('hostile'));
  cityDir = path.join(base, 'city');
  outside = path.join(base, 'elsewhere');
  fs.mkdirSync(path.join(cityDir, 'data'), { recursive: true });
  fs.mkdirSync(outside, { recursive: true });
  await writePersonsCsv(path.join(outside, 'persons.csv'), { rows: 40, seed: 3, regionCodes: ['430102'], cityName: '长沙市' });
  fs.writeFileSync(path.join(outside, 'secret.csv'), '姓名,身份证号,性别\nTOP-SECRET-MARKER,110105194912310029,男\n');
  fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(cityDir, 'data', 'linked.csv'));
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

let runs = 0;
function run(mappingText: string, allowPaths?: string[]) {
  const mappingPath = path.join(cityDir, `430100-run${++runs}.yaml`);
  fs.writeFileSync(mappingPath, mappingText);
  return temporal.client.workflow.execute(cityMigration, {
    workflowId: `hostile-${runs}`,
    taskQueue: temporal.taskQueues.main,
    args: [{ mappingPath, taskQueues: temporal.taskQueues, batchRows: 50, ...(allowPaths ? { allowPaths } : {}) }],
  });
}

async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  let cause: unknown = (err as WorkflowFailedError).cause;
  while (cause instanceof Error && !(cause instanceof ApplicationFailure)) cause = cause.cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).nonRetryable).toBe(true);
  return cause as ApplicationFailure;
}

const count = async (table: string): Promise<number> => Number((await tdb.db(table).count({ n: '*' }).first())!.n);

async function nothingLanded(): Promise<void> {
  expect(await count('landing.source_file')).toBe(0);
  expect(await count('pipeline.reject')).toBe(0);
  expect(await count('province.person')).toBe(0);
}

describe('source files outside the mapping’s directory tree are refused by migrate', () => {
  it.each([
    ['/etc/passwd', '[/etc/passwd]'],
    ['../ out of the tree', '[../elsewhere/secret.csv]'],
    ['a symlink in the data folder', '[data/linked.csv]'],
  ])('%s', async (_, files) => {
    const cause = await failure(run(PERSONS(files)));
    expect(cause.type).toBe('SourceOutsideRoot');
    expect(cause.message).toContain('is outside the directories sources may be read from');
    expect(cause.message).not.toContain('TOP-SECRET-MARKER');
    await nothingLanded();
  });
});

describe('hostile workbooks and dumps fail the run with the place named', () => {
  it('a 1.7 KB .xlsx with <row r="4294967295">: at once, naming the sheet and the limit', async () => {
    const bytes = xlsxBytes([{ name: '参保人员', rows: rowXml(1, ['姓名', '身份证号', '性别']) + rowXml(4294967295, ['张三', '110105194912310029', '男']) }]);
    fs.writeFileSync(path.join(cityDir, 'data', 'huge-row.xlsx'), bytes);
    const cause = await failure(run(PERSONS('[data/huge-row.xlsx]', 'xlsx')));
    expect(cause.type).toBe('extract.xlsx_invalid');
    expect(cause.message).toContain('huge-row.xlsx');
    expect(cause.message).toContain('sheet 参保人员 exceeds 1,048,576 rows');
  });

  it('an .xlsx whose zip headers understate the sheet: an error naming file and entry, never "loaded" with 0 rows', async () => {
    const rows = rowXml(1, ['姓名', '身份证号', '性别']) + Array.from({ length: 30 }, (_, i) => rowXml(i + 2, [`张${i}`, '110105194912310029', '男'])).join('');
    const bytes = xlsxBytes([{ name: '参保人员', rows, local: { uncompressedSize: 60 }, central: { uncompressedSize: 60 } }]);
    fs.writeFileSync(path.join(cityDir, 'data', 'short.xlsx'), bytes);
    const cause = await failure(run(PERSONS('[data/short.xlsx]', 'xlsx')));
    expect(cause.type).toBe('extract.zip_invalid');
    expect(cause.message).toContain('short.xlsx');
    expect(cause.message).toContain('xl/worksheets/sheet1.xml');
  });

  it('a pg_dump COPY line with a missing column: an error naming file, table and row', async () => {
    const dump = "-- PostgreSQL database dump\nCOPY public.persons (name, id_number) FROM stdin;\n张三\t110105194912310029\n李四\n\\.\n";
    fs.writeFileSync(path.join(cityDir, 'data', 'persons.sql'), dump);
    const cause = await failure(run(PERSONS('[data/persons.sql]', 'pgdump', 'public.persons')));
    expect(cause.type).toBe('extract.column_count');
    expect(cause.message).toMatch(/persons\.sql, sheet\/table public\.persons, row 2, byte \d+: 1 values where its statement lists 2 columns \(name, id_number\)/);
    expect(await count('province.person')).toBe(0);
  });

  it('and the workers were never wedged: a good run on them afterwards loads, from an allowed directory', async () => {
    const report = await run(PERSONS('[../elsewhere/persons.csv]'), [outside]);
    expect(report.sources).toHaveLength(1);
    expect(await count('province.person')).toBeGreaterThan(0);
  });
});

/**
 * The guards of a source on the real services: a source over its mapping's reject threshold stops
 * before any of its sheets loads; control totals that disagree fail the source report loudly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import * as XLSX from 'xlsx';
import { createSourceReport } from '../../activities/source-report';
import { idCheckChar } from '../../src/domain/rules/resident-id';
import { uscCheckChar } from '../../src/domain/rules/usc-code';
import { cityMigration } from '../../workflows/city-migration';
import { createTestDatabase, testConfig, testLogger, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

const USC = '91431100MA4L00011';
const usc = USC + uscCheckChar(USC);
const ID = '43110219800101101';
const id = ID + idCheckChar(ID);

const MAPPING = (threshold: string) => `city: { code: "431100", name: 永州市 }
reject_threshold: ${threshold}
sources:
  - id: roster
    files: [roster.xlsx]
    tables:
      - stream: 单位
        entity: employer
        columns: { legacy_no: 单位编号, usc_code: 统一社会信用代码, name: 单位名称 }
      - stream: 人员
        entity: person_spell
        columns: { id_number: 身份证号, name: 姓名, employer_no: 单位编号, start_date: 参保日期 }
  - id: contributions
    files: [contributions.csv]
    tables:
      - entity: contribution
        columns: { employer_no: 单位编号, period: 费款所属期, amount_due: { header: 应缴金额, unit: yuan } }
`;

let tdb: TestDatabase;
let temporal: TestTemporal;
let dir: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  dir = tmpDir('guards');
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['单位编号', '统一社会信用代码', '单位名称'], ['E1', usc, '永州机械厂']]), '单位');
  XLSX.utils.book_append_sheet(
    book,
    XLSX.utils.aoa_to_sheet([
      ['身份证号', '姓名', '单位编号', '参保日期'],
      [id, '张三', 'E1', '2020-01-01'],
      ['123', '李四', 'E1', '2020-01-01'],
      ['456', '王五', 'E1', '2020-01-01'],
    ]),
    '人员',
  );
  XLSX.writeFile(book, path.join(dir, 'roster.xlsx'));
  fs.writeFileSync(path.join(dir, 'contributions.csv'), '单位编号,费款所属期,应缴金额\r\nE1,202301,100.50\r\nE1,202302,200\r\n');
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

const run = (workflowId: string, mapping: string) =>
  temporal.client.workflow.execute(cityMigration, { workflowId, taskQueue: temporal.taskQueues.main, args: [{ mappingPath: mapping, taskQueues: temporal.taskQueues }] });

test('a source over its reject threshold stops before any of its sheets loads', async () => {
  const mapping = path.join(dir, '431100-strict.yaml');
  fs.writeFileSync(mapping, MAPPING('{ count: 1 }'));
  const err: unknown = await run('guards-threshold', mapping).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  let cause: unknown = (err as WorkflowFailedError).cause;
  while (cause instanceof Error && !(cause instanceof ApplicationFailure)) cause = cause.cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).type).toBe('RejectThresholdExceeded');
  expect((cause as ApplicationFailure).message).toMatch(/2 of 3 rows rejected/);
  // the employer sheet was fine, but it belongs to the stopped source: nothing of it loaded
  expect(Number((await tdb.db('province.employer').count({ n: '*' }).first())!.n)).toBe(0);
  expect(Number((await tdb.db('pipeline.row_outcomes').where('outcome', 'loaded').count({ n: '*' }).first())!.n)).toBe(0);
});

test('control totals that disagree with the provincial tables fail the source report loudly', async () => {
  const mapping = path.join(dir, '431100-lenient.yaml');
  fs.writeFileSync(mapping, MAPPING('{ percent: 100 }'));
  const report = await run('guards-totals', mapping);
  const contributions = report.sources.find((s) => s.sourceKey.includes('/contributions/'))!;
  expect(contributions.controlTotals!.find((t) => t.measure === 'contribution.amount_due_fen')).toEqual({ city: '431100', year: '2023', measure: 'contribution.amount_due_fen', source: '30050', province: '30050', ok: true });

  // something changes a provincial amount behind the pipeline's back
  await tdb.db('province.contribution').where('period', '2023-02').update({ amount_due_fen: 20001 });
  const sourceReport = createSourceReport({ db: tdb.db, log: testLogger(), config: testConfig() });
  const err: unknown = await sourceReport({ sourceFileId: contributions.sourceFileId, mappingVersionId: report.mappingVersionId, status: 'loaded' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect((err as ApplicationFailure).type).toBe('ControlTotalsMismatch');
  expect((err as ApplicationFailure).nonRetryable).toBe(true);
  expect((err as ApplicationFailure).message).toContain('431100 2023 contribution.amount_due_fen source 30050 ≠ province 30051');
});

/**
 * Issue #14 fields through cityMigration on the real Temporal dev server and PostgreSQL: employer
 * 参保日期, spell 月缴费工资 (a duplicate/conflict and latest-wins field), contribution 到账日期,
 * benefit 支付日期, an `extra:` field of each type (text, date, money, code), and a `--load-date`
 * that changes a date.range outcome: the same files run once against 2024-03-31 and once against
 * their registration day, each under a mapping version of its own that records the load date.
 */
import fs from 'node:fs';
import path from 'node:path';
import { idCheckChar } from '../../src/domain/rules/resident-id';
import { uscCheckChar } from '../../src/domain/rules/usc-code';
import { loadDateOf } from '../../src/pipeline-context';
import { cityMigration, type CityReport } from '../../workflows/city-migration';
import { provinceMigration } from '../../workflows/province-migration';
import { FUND_POLICY } from '../support/province-fixture';
import { createTestDatabase, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

const id = (first17: string) => first17 + idCheckChar(first17);
const usc = (first17: string) => first17 + uscCheckChar(first17);

const [ID1, ID2, ID3, ID4] = ['43060219800101101', '43060219850505102', '43060219900909103', '43060219910101104'].map(id) as [string, string, string, string];
const [USC1, USC2, USC3, USC4] = [1, 2, 3, 4].map((n) => usc(`91430600MA4L000${n}${n}`)) as [string, string, string, string];

const csv = (rows: (string | number)[][]) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';

const MAPPING = `city: { code: "430600", name: 岳阳市 }
reject_threshold: { percent: 80 }
sources:
  - id: employers
    files: [employers.csv]
    tables:
      - entity: employer
        columns: { legacy_no: 单位编号, usc_code: 统一社会信用代码, name: 单位名称, insured_from: 参保日期 }
        extra:
          phone: { header: 联系电话, type: text }
          founded: { header: 成立日期, type: date }
          capital: { header: 注册资本, type: money, unit: wan_yuan }
          ownership: { header: 经济类型, type: code, codes: ownership }
  - id: spells
    files: [spells.csv]
    tables:
      - entity: person_spell
        columns: { id_number: 身份证号, name: 姓名, employer_no: 单位编号, start_date: 参保日期, monthly_wage: 月缴费工资, changed_at: 更新时间 }
        updated_at: changed_at
  - id: contributions
    files: [contributions.csv]
    tables:
      - entity: contribution
        columns: { employer_no: 单位编号, period: 费款所属期, amount_due: 应缴金额, paid_date: 到账日期 }
        extra:
          late_fee: { header: 滞纳金, type: money }
  - id: cases
    files: [cases.csv]
    tables:
      - entity: injury_case
        columns: { case_no: 认定书编号, id_number: 身份证号, employer_no: 单位编号, accident_date: 事故日期, determination_date: 认定日期, result: { header: 认定结论, codes: result }, accident_type: { header: 事故类型, codes: accident } }
  - id: benefits
    files: [benefits.csv]
    tables:
      - entity: benefit_payment
        columns: { case_no: 认定书编号, benefit_type: { header: 待遇类型, codes: benefit }, period: 支付期, amount: 金额, paid_date: 支付日期 }
codes:
  ownership: { "110": state_owned, "170": private }
  result: { 认定工伤: recognized }
  accident: { "01": workplace_accident }
  benefit: { 医疗费: medical }
`;

function writeCity(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '430600-yueyang.yaml'), MAPPING);
  fs.writeFileSync(path.join(dir, 'employers.csv'), csv([
    ['单位编号', '统一社会信用代码', '单位名称', '参保日期', '联系电话', '成立日期', '注册资本', '经济类型'],
    ['E1', USC1, '岳阳纸业', '2003年7月1日', '0730-8888', '1998-05-04', '1.25', '110'], // 2 loaded, every extra
    ['E2', USC2, '岳阳石化', '2003-02-30', '', '', '', ''], // 3 date.format@insured_from
    ['E3', USC3, '岳阳港务', '2004-01-01', '', '2024-05-01', 'abc', ''], // 4 amount.format@extra.capital; date.range@extra.founded only under 2024-03-31
    ['E4', USC4, '岳阳建工', '2005-01-01', '', '', '', '990'], // 5 code.unmapped@extra.ownership
  ]));
  fs.writeFileSync(path.join(dir, 'spells.csv'), csv([
    ['身份证号', '姓名', '单位编号', '参保日期', '月缴费工资', '更新时间'],
    [ID1, '张三', 'E1', '2015-03-01', '4512.30', ''], // 2 loaded
    [ID2, '李四', 'E1', '2016-01-01', '3000', ''], // 3 conflict: same spell, another wage, no timestamp
    [ID2, '李四', 'E1', '2016-01-01', '3100', ''], // 4 conflict
    [ID3, '王五', 'E1', '2017-01-01', '3000', '2023-01-01 08:00:00'], // 5 superseded
    [ID3, '王五', 'E1', '2017-01-01', '3500', '2023-06-01 08:00:00'], // 6 latest wins
    [ID4, '赵六', 'E1', '2024-05-01', '2800', ''], // 7 date.range under 2024-03-31 only
    [ID1, '张三', 'E1', '2018-01-01', '12.345', ''], // 8 amount.precision@monthly_wage
  ]));
  fs.writeFileSync(path.join(dir, 'contributions.csv'), csv([
    ['单位编号', '费款所属期', '应缴金额', '到账日期', '滞纳金'],
    ['E1', '202301', '1000', '2023-02-10', '12.5'], // 2 loaded
    ['E1', '202302', '1000', '2024-04-15', ''], // 3 date.range@paid_date under 2024-03-31 only
    ['E1', '202303', '1000', '2023-13-01', ''], // 4 date.format@paid_date
  ]));
  fs.writeFileSync(path.join(dir, 'cases.csv'), csv([
    ['认定书编号', '身份证号', '单位编号', '事故日期', '认定日期', '认定结论', '事故类型'],
    ['C1', ID1, 'E1', '2023-03-01', '2023-04-15', '认定工伤', '01'],
  ]));
  fs.writeFileSync(path.join(dir, 'benefits.csv'), csv([
    ['认定书编号', '待遇类型', '支付期', '金额', '支付日期'],
    ['C1', '医疗费', '2023-04', '1500.5', '2023/5/6'], // 2 loaded
    ['C1', '医疗费', '2023-05', '100', '昨天'], // 3 date.format@paid_date
  ]));
  return path.join(dir, '430600-yueyang.yaml');
}

let tdb: TestDatabase;
let temporal: TestTemporal;
let pinned: CityReport;
let mappingPath: string;

const run = (workflowId: string, loadDate?: string): Promise<CityReport> =>
  temporal.client.workflow.execute(cityMigration, { workflowId, taskQueue: temporal.taskQueues.main, args: [{ mappingPath, taskQueues: temporal.taskQueues, batchRows: 3, loadDate }] });

const streamOf = (report: CityReport, sourceId: string) => report.sources.find((s) => s.sourceKey.startsWith(`430600/${sourceId}/`))!.streams[0]!;

async function rejects(mappingVersionId: number, sourceId: string): Promise<[number, string[]][]> {
  const rows = (await tdb.db('pipeline.reject as r')
    .join('landing.stream as s', 's.id', 'r.stream_id')
    .join('landing.source_file as f', 'f.id', 's.source_file_id')
    .where('r.mapping_version_id', mappingVersionId)
    .whereLike('f.source_key', `%/${sourceId}/%`)
    .orderBy('r.row_no')
    .select('r.row_no', 'r.reasons')) as { row_no: number; reasons: { code: string; field?: string }[] }[];
  return rows.map((r) => [r.row_no, r.reasons.map((x) => `${x.code}@${x.field ?? ''}`).sort()]);
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  mappingPath = writeCity(tmpDir('record-fields'));
  pinned = await run('record-fields-pinned', '2024-03-31');
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

test('the load date is recorded on the mapping version and in the report', async () => {
  expect(pinned.loadDate).toBe('2024-03-31');
  for (const s of pinned.sources) expect(s.loadDate).toBe('2024-03-31');
  const v = await tdb.db('pipeline.mapping_version').where({ id: pinned.mappingVersionId }).first(tdb.db.raw('load_date::text as load_date'));
  expect(v.load_date).toBe('2024-03-31');
});

test('every new field and extra is refused by its rule, naming the field', async () => {
  const mv = pinned.mappingVersionId;
  expect(await rejects(mv, 'employers')).toEqual([
    [3, ['date.format@insured_from']],
    [4, ['amount.format@extra.capital', 'date.range@extra.founded']],
    [5, ['code.unmapped@extra.ownership']],
  ]);
  expect(await rejects(mv, 'spells')).toEqual([
    [3, ['duplicate.conflict@']],
    [4, ['duplicate.conflict@']],
    [7, ['date.range@start_date']],
    [8, ['amount.precision@monthly_wage']],
  ]);
  expect(await rejects(mv, 'contributions')).toEqual([
    [3, ['date.range@paid_date']],
    [4, ['date.format@paid_date']],
  ]);
  expect(await rejects(mv, 'benefits')).toEqual([[3, ['date.format@paid_date']]]);
  expect(streamOf(pinned, 'spells')).toMatchObject({ read: 7, loaded: 2, rejected: 4, duplicates: 1, superseded: 1 });
  for (const s of pinned.sources) for (const st of s.streams) expect(st.read).toBe(st.loaded + st.rejected + st.skipped + st.duplicates);
});

test('the new fields and the extras are stored in the provincial tables', async () => {
  const db = tdb.db;
  expect(await db('province.employer').orderBy('employer_key').select('employer_key', db.raw('insured_from::text as insured_from'), 'extra')).toEqual([
    { employer_key: USC1, insured_from: '2003-07-01', extra: { phone: '0730-8888', founded: '1998-05-04', capital_fen: '1250000', ownership: 'state_owned' } },
  ]);
  const spells = await db('province.insurance_spell as s').join('province.person as p', 'p.id', 's.person_id').orderBy('p.id_number').select('p.id_number', 's.monthly_wage_fen', 's.extra');
  expect(spells).toEqual([
    { id_number: ID1, monthly_wage_fen: '451230', extra: null },
    { id_number: ID3, monthly_wage_fen: '350000', extra: null }, // the later row's wage
  ]);
  expect(await db('province.contribution').orderBy('period').select('period', db.raw('paid_date::text as paid_date'), 'extra')).toEqual([{ period: '2023-01', paid_date: '2023-02-10', extra: { late_fee_fen: '1250' } }]);
  expect(await db('province.benefit_payment').select('period', 'amount_fen', db.raw('paid_date::text as paid_date'))).toEqual([{ period: '2023-04', amount_fen: '150050', paid_date: '2023-05-06' }]);
});

test('without --load-date the same files run under a version of their own, checked against their registration day', async () => {
  const today = await run('record-fields-registration-day');
  expect(today.mappingVersionId).not.toBe(pinned.mappingVersionId);
  expect(today.loadDate).toBeNull();
  const registered = (await tdb.db('landing.source_file').where('source_key', 'like', '430600/%').pluck('registered_at')) as Date[];
  for (const s of today.sources) expect(s.loadDate).toBe(loadDateOf(registered[0]!));
  // the rows that were after 2024-03-31 are not date.range any more
  expect(await rejects(today.mappingVersionId, 'spells')).toEqual([
    [3, ['duplicate.conflict@']],
    [4, ['duplicate.conflict@']],
    [8, ['amount.precision@monthly_wage']],
  ]);
  expect(await rejects(today.mappingVersionId, 'contributions')).toEqual([[4, ['date.format@paid_date']]]);
  expect(await rejects(today.mappingVersionId, 'employers')).toEqual([
    [3, ['date.format@insured_from']],
    [4, ['amount.format@extra.capital']],
    [5, ['code.unmapped@extra.ownership']],
  ]);
  const v = await tdb.db('pipeline.mapping_version').where({ id: today.mappingVersionId }).first('load_date');
  expect(v.load_date).toBeNull();
  expect(await tdb.db('province.insurance_spell as s').join('province.person as p', 'p.id', 's.person_id').where('p.id_number', ID4).first('s.monthly_wage_fen')).toEqual({ monthly_wage_fen: '280000' });
  expect(await tdb.db('province.contribution').where({ period: '2023-02' }).first(tdb.db.raw('paid_date::text as paid_date'))).toEqual({ paid_date: '2024-04-15' });
});

test("a province manifest's load_date reaches the city run: a version of its own, its dates checked against it", async () => {
  const manifest = path.join(path.dirname(mappingPath), 'province.yaml');
  fs.writeFileSync(manifest, `province: { code: "43", name: 湖南省 }\nfund_policy: ${JSON.stringify(FUND_POLICY)}\nload_date: 2024-04-30\ncities:\n  - { code: "430600", mapping: 430600-yueyang.yaml }\n`);
  await temporal.client.workflow.execute(provinceMigration, { workflowId: 'record-fields-province', taskQueue: temporal.taskQueues.main, args: [{ manifestPath: manifest, taskQueues: temporal.taskQueues, batchRows: 3 }] });
  const v = await tdb.db('pipeline.mapping_version').where({ city_code: '430600' }).whereRaw("load_date = '2024-04-30'").first('id');
  expect(v).toBeDefined();
  // 2024-05-01 is after 2024-04-30; 2024-04-15 is not
  expect((await rejects(v.id as number, 'spells')).filter(([row]) => row === 7)).toEqual([[7, ['date.range@start_date']]]);
  expect(await rejects(v.id as number, 'contributions')).toEqual([[4, ['date.format@paid_date']]]);
});

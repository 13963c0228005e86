/**
 * A fixture city through cityMigration on the real Temporal dev server and PostgreSQL: every
 * entity, every kind of row outcome. Checks the exact rejected rows and reasons, the normalized
 * values of loaded rows, the accounting identity and control totals; then a second city sharing a
 * person (one provincial person, several spells, overlaps reported); then a late file bringing a
 * missing employer, whose reference rejects load on the re-run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { idCheckChar, upgradeId15 } from '../../src/domain/rules/resident-id';
import { orgCheckChar } from '../../src/domain/rules/org-code';
import { uscCheckChar } from '../../src/domain/rules/usc-code';
import { cityMigration, type CityReport } from '../../workflows/city-migration';
import { createTestDatabase, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

const id = (first17: string) => first17 + idCheckChar(first17);
const usc = (first17: string) => first17 + uscCheckChar(first17);
const org = (first8: string) => first8 + orgCheckChar(first8);

const ID1 = id('43090219800101101'); // male
const ID2 = id('43090219850505102'); // female
const ID3_15 = '430902700303105'; // a 15-digit ID: upgraded on load
const ID3 = upgradeId15(ID3_15);
const ID4 = id('43090219900909103');
const ID5 = id('43090219910101104');
const ID6 = id('43090219920202106');
const ID7 = id('43090219930303108'); // female, the source says 男
const ID9 = id('43090219940404109'); // a person nobody loads
const BAD_ID = ID1.slice(0, 17) + (ID1[17] === '0' ? '1' : '0');
const USC1 = usc('91430900MA4L00011');
const ORG2 = org('18501234');
const USC3 = usc('91430900MA4L00033');
const USC3_BAD = USC3.slice(0, 17) + (USC3[17] === '0' ? '1' : '0');
const USC4 = usc('91430900MA4L00044');
const USC5 = usc('91430900MA4L00055');
const USC6 = usc('91430900MA4L00066');
const USC7 = usc('91430900MA4L00077');
const USC8 = usc('91430900MA4L00088');
const USC9 = usc('91430900MA4L00099');
const USC10 = usc('91430900MA4L00100');
const USC_B = usc('91430800MA4L00011');

const csv = (rows: (string | number)[][]) => rows.map((r) => r.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',')).join('\r\n') + '\r\n';

const MAPPING_A = `# 益阳市 — fixture city: every entity, every defect
city: { code: "430900", name: 益阳市 }
reject_threshold: { percent: 60 }
sources:
  - id: employers
    files: [employers*.csv]
    tables:
      - entity: employer
        columns:
          legacy_no: 单位编号
          usc_code: 统一社会信用代码
          org_code: 组织机构代码
          name: 单位名称
          industry: { header: 行业代码, edition: 2011 }
          division_code: 所属区划
          changed_at: 更新时间
        updated_at: changed_at
        ignore: [备注]
  - id: spells
    files: [spells.csv]
    tables:
      - entity: person_spell
        columns:
          id_number: 身份证号
          name: 姓名
          gender: { header: 性别, codes: gender }
          employer_no: 单位编号
          start_date: 参保日期
          end_date: 停保日期
  - id: contributions
    files: [contributions.csv]
    tables:
      - entity: contribution
        columns:
          employer_no: 单位编号
          period: 费款所属期
          amount_due: { header: 应缴金额, unit: yuan }
          amount_paid: { header: 实缴金额, unit: yuan }
          rate: 费率
  - id: cases
    files: [cases.csv]
    tables:
      - entity: injury_case
        columns:
          case_no: 认定书编号
          id_number: 身份证号
          employer_no: 单位编号
          accident_date: 事故日期
          determination_date: 认定日期
          result: { header: 认定结论, codes: result }
          accident_type: { header: 事故类型, codes: accident }
  - id: appraisals
    files: [appraisals.csv]
    tables:
      - entity: appraisal
        columns:
          case_no: 认定书编号
          appraisal_date: 鉴定日期
          disability_grade: 伤残等级
          nursing_level: 护理等级
  - id: benefits
    files: [benefits.csv]
    tables:
      - entity: benefit_payment
        columns:
          case_no: 认定书编号
          benefit_type: { header: 待遇类型, codes: benefit }
          period: 支付期
          amount: { header: 金额, unit: yuan }
codes:
  gender: { 男: M, 女: F }
  result: { 认定工伤: recognized, 视同工伤: deemed, 不予认定: not_recognized }
  accident: { "01": workplace_accident, "02": occupational_disease, "03": commuting, "06": sudden_death }
  benefit: { 医疗费: medical, 一次性伤残补助金: disability_lump_sum, 伤残津贴: disability_allowance }
`;

const MAPPING_B = `city: { code: "430800", name: 张家界市 }
sources:
  - id: employers
    files: [employers.csv]
    tables:
      - entity: employer
        columns: { legacy_no: 单位编号, usc_code: 统一社会信用代码, name: 单位名称 }
  - id: spells
    files: [spells.csv]
    tables:
      - entity: person_spell
        columns: { id_number: 身份证号, name: 姓名, employer_usc: 统一社会信用代码, start_date: 参保日期 }
`;

function writeCityA(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '430900-yiyang.yaml'), MAPPING_A);
  const t0 = '2023-01-01 08:00:00';
  fs.writeFileSync(path.join(dir, 'employers.csv'), csv([
    ['单位编号', '统一社会信用代码', '组织机构代码', '单位名称', '行业代码', '所属区划', '更新时间', '备注'],
    ['E001', USC1, '', '甲（湘江）机械有限公司', 'C3311', '430902', t0, ''], // 2
    ['E002', '', `${ORG2.slice(0, 8)}-${ORG2[8]}`, '乙煤矿', '06', '430903', t0, ''], // 3
    ['E003', USC3_BAD, '', '丙公司', '33', '430902', t0, ''], // 4 usc_code.checksum
    ['E004', USC4, '', '丁公司', '99', '430902', t0, ''], // 5 code.unmapped (no division 99)
    ['E005', USC5, '', '戊公司', '33', '440300', t0, ''], // 6 division_code.unknown
    ['E006', USC6, '', '　', '33', '430902', t0, ''], // 7 name.missing
    ['', '', '', '', '', '', '', ''], // 8 skip.blank
    ['E001', USC1, '', '甲（湘江）机械有限公司', 'C3311', '430902', t0, '重复录入'], // 9 duplicate (remark ignored)
    ['E007', USC7, '', '己公司', '33', '430902', t0, ''], // 10 superseded
    ['E007', USC7, '', '己公司（新）', '33', '430902', '2023-06-01 09:30:00', ''], // 11 latest wins
    ['E008', USC8, '', '庚公司', '33', '430902', t0, ''], // 12 duplicate.conflict
    ['E008', USC8, '', '庚有限公司', '33', '430902', t0, ''], // 13 duplicate.conflict
    ['合计', '', '', '', '', '', '', '12家'], // 14 skip.subtotal
    ['E010', USC10, '', '辛公司', '33', '430902', '2023-02-30 10:00', ''], // 15 date.format (update time)
  ]));
  fs.writeFileSync(path.join(dir, 'spells.csv'), csv([
    ['身份证号', '姓名', '性别', '单位编号', '参保日期', '停保日期'],
    [ID1, '张三', '男', 'E001', '2020-01-01', ''], // 2
    [ID2, '李四', '女', 'E002', '2019/5/1', '2021-12-31'], // 3
    [ID3_15, '王五', '男', 'E001', '20180101', ''], // 4
    [ID1, '张三', '男', 'E002', '2021-06-01', ''], // 5 second spell, overlaps row 2
    [BAD_ID, '错号', '男', 'E001', '2020-01-01', ''], // 6 id_number.checksum
    [ID4, '赵六', '男', 'E009', '2020-01-01', ''], // 7 reference.employer_missing → late file
    [ID5, '', '女', 'E001', '2020-13-01', ''], // 8 name.missing + date.format
    [ID6, '孙七', '女', 'E003', '2020-01-01', ''], // 9 reference.employer_missing (E003 was rejected)
    [ID7, '周八', '男', 'E002', '2022-01-01', ''], // 10 loaded, gender.conflict
  ]));
  fs.writeFileSync(path.join(dir, 'contributions.csv'), csv([
    ['单位编号', '费款所属期', '应缴金额', '实缴金额', '费率'],
    ['E001', '202301', '1,234.50', '1234.5', '0.5%'], // 2
    ['E001', '2023-02', '1234.50元', '￥1200', '0.005'], // 3
    ['E002', '2023年1月', '100', '100', ''], // 4
    ['E009', '202301', '500', '500', ''], // 5 reference.employer_missing → late file
    ['E001', '202303', '1.234', '1', ''], // 6 amount.precision
    ['E001', '202304', '-5', '0', ''], // 7 amount.negative
    ['E009', '202305', 'abc', '1', ''], // 8 amount.format + reference → only amount.format stays
    ['E001', '203001', '1', '1', ''], // 9 date.range
    ['合计', '', '2569', '2534.5', ''], // 10 skip.subtotal
  ]));
  fs.writeFileSync(path.join(dir, 'cases.csv'), csv([
    ['认定书编号', '身份证号', '单位编号', '事故日期', '认定日期', '认定结论', '事故类型'],
    ['C001', ID1, 'E001', '2023-03-01', '2023-04-15', '认定工伤', '01'], // 2
    ['C002', ID2, 'E002', '2023.5.1', '20230620', '视同工伤', '06'], // 3
    ['C003', ID9, 'E001', '2023-05-01', '2023-06-01', '认定工伤', '01'], // 4 reference.person_missing
    ['C004', ID1, 'E001', '2023-05-01', '2023-06-01', '作废', '01'], // 5 code.unmapped
    ['', ID1, 'E001', '2023-05-01', '2023-06-01', '认定工伤', '01'], // 6 case_no.missing
  ]));
  fs.writeFileSync(path.join(dir, 'appraisals.csv'), csv([
    ['认定书编号', '鉴定日期', '伤残等级', '护理等级'],
    ['C001', '2023-08-01', '七级', ''], // 2
    ['C002', '2023-09-01', '3', '部分不能自理'], // 3
    ['C099', '2023-09-01', '5', ''], // 4 reference.case_missing
    ['C001', '2023-10-01', '十一级', ''], // 5 code.unmapped
  ]));
  fs.writeFileSync(path.join(dir, 'benefits.csv'), csv([
    ['认定书编号', '待遇类型', '支付期', '金额'],
    ['C001', '一次性伤残补助金', '2023-08', '27,000.00'], // 2
    ['C001', '医疗费', '2023-04', '1500.5'], // 3
    ['C002', '伤残津贴', '2023-10', '3200'], // 4
    ['C099', '医疗费', '2023-04', '100'], // 5 reference.case_missing
  ]));
}

function writeCityB(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '430800-zhangjiajie.yaml'), MAPPING_B);
  fs.writeFileSync(path.join(dir, 'employers.csv'), csv([['单位编号', '统一社会信用代码', '单位名称'], ['1', USC_B, '张家界旅游公司']]));
  fs.writeFileSync(path.join(dir, 'spells.csv'), csv([['身份证号', '姓名', '统一社会信用代码', '参保日期'], [ID1, '张三', USC_B, '2022-01-01']]));
}

let tdb: TestDatabase;
let temporal: TestTemporal;
let dirA: string;
let dirB: string;
let first: CityReport;

const run = (id: string, mapping: string): Promise<CityReport> =>
  temporal.client.workflow.execute(cityMigration, { workflowId: id, taskQueue: temporal.taskQueues.main, args: [{ mappingPath: mapping, taskQueues: temporal.taskQueues, batchRows: 4 }] });

const streamOf = (report: CityReport, sourceId: string) => {
  const s = report.sources.find((x) => x.sourceKey.startsWith(`${report.cityCode}/${sourceId}/`));
  if (!s) throw new Error(`no source ${sourceId}`);
  return s.streams[0]!;
};

async function rejectsOf(sourceId: string): Promise<{ row: number; codes: string[]; status: string }[]> {
  const rows = await tdb.db('pipeline.reject as r')
    .join('landing.stream as s', 's.id', 'r.stream_id')
    .join('landing.source_file as f', 'f.id', 's.source_file_id')
    .whereLike('f.source_key', `%/${sourceId}/%`)
    .orderBy('r.row_no')
    .select('r.row_no', 'r.codes', 'r.status');
  return rows.map((r: { row_no: number; codes: string[]; status: string }) => ({ row: r.row_no, codes: [...r.codes].sort(), status: r.status }));
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  const dir = tmpDir('entities');
  dirA = path.join(dir, 'a');
  dirB = path.join(dir, 'b');
  writeCityA(dirA);
  writeCityB(dirB);
  first = await run('entities-a-1', path.join(dirA, '430900-yiyang.yaml'));
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

test('every row of every source is loaded, rejected with its reasons, skipped or merged', () => {
  for (const source of first.sources) {
    for (const st of source.streams) expect(st.read).toBe(st.loaded + st.rejected + st.skipped + st.duplicates);
  }
  expect(streamOf(first, 'employers')).toMatchObject({
    read: 14, loaded: 3, rejected: 7, skipped: 2, duplicates: 2, superseded: 1,
    byReason: { 'usc_code.checksum': 1, 'code.unmapped': 1, 'division_code.unknown': 1, 'name.missing': 1, 'duplicate.conflict': 2, 'date.format': 1 },
    bySkip: { 'skip.blank': 1, 'skip.subtotal': 1 },
  });
  expect(streamOf(first, 'spells')).toMatchObject({
    read: 9, loaded: 5, rejected: 4, skipped: 0, duplicates: 0,
    byReason: { 'id_number.checksum': 1, 'reference.employer_missing': 2, 'name.missing': 1, 'date.format': 1 },
    warnings: { 'gender.conflict': 1 },
  });
  expect(streamOf(first, 'contributions')).toMatchObject({
    read: 9, loaded: 3, rejected: 5, skipped: 1,
    byReason: { 'reference.employer_missing': 2, 'amount.precision': 1, 'amount.negative': 1, 'amount.format': 1, 'date.range': 1 },
  });
  expect(streamOf(first, 'cases')).toMatchObject({ read: 5, loaded: 2, rejected: 3, byReason: { 'reference.person_missing': 1, 'code.unmapped': 1, 'case_no.missing': 1 } });
  expect(streamOf(first, 'appraisals')).toMatchObject({ read: 4, loaded: 2, rejected: 2, byReason: { 'reference.case_missing': 1, 'code.unmapped': 1 } });
  expect(streamOf(first, 'benefits')).toMatchObject({ read: 4, loaded: 3, rejected: 1, byReason: { 'reference.case_missing': 1 } });
});

test('the steward queue holds exactly the rejected rows, each with every reason', async () => {
  expect(await rejectsOf('employers')).toEqual([
    { row: 4, codes: ['usc_code.checksum'], status: 'open' },
    { row: 5, codes: ['code.unmapped'], status: 'open' },
    { row: 6, codes: ['division_code.unknown'], status: 'open' },
    { row: 7, codes: ['name.missing'], status: 'open' },
    { row: 12, codes: ['duplicate.conflict'], status: 'open' },
    { row: 13, codes: ['duplicate.conflict'], status: 'open' },
    { row: 15, codes: ['date.format'], status: 'open' },
  ]);
  expect(await rejectsOf('spells')).toEqual([
    { row: 6, codes: ['id_number.checksum'], status: 'open' },
    { row: 7, codes: ['reference.employer_missing'], status: 'open' },
    { row: 8, codes: ['date.format', 'name.missing'], status: 'open' },
    { row: 9, codes: ['reference.employer_missing'], status: 'open' },
  ]);
  expect(await rejectsOf('contributions')).toEqual([
    { row: 5, codes: ['reference.employer_missing'], status: 'open' },
    { row: 6, codes: ['amount.precision'], status: 'open' },
    { row: 7, codes: ['amount.negative'], status: 'open' },
    // a bad amount and an unknown employer: both reasons
    { row: 8, codes: ['amount.format', 'reference.employer_missing'], status: 'open' },
    { row: 9, codes: ['date.range'], status: 'open' },
  ]);
  expect(await rejectsOf('cases')).toEqual([
    { row: 4, codes: ['reference.person_missing'], status: 'open' },
    { row: 5, codes: ['code.unmapped'], status: 'open' },
    { row: 6, codes: ['case_no.missing'], status: 'open' },
  ]);
  expect(await rejectsOf('appraisals')).toEqual([
    { row: 4, codes: ['reference.case_missing'], status: 'open' },
    { row: 5, codes: ['code.unmapped'], status: 'open' },
  ]);
  const unmapped = await tdb.db('pipeline.reject').where('entity', 'injury_case').whereRaw("codes @> '{code.unmapped}'").first('reasons', 'fields', 'mapping_version_id');
  expect(unmapped.reasons).toEqual([{ code: 'code.unmapped', field: 'result', detail: '作废' }]);
  expect(unmapped.fields).toMatchObject({ case_no: 'C004', result: '作废' });
  expect(unmapped.mapping_version_id).toBe(first.mappingVersionId);
});

test('loaded rows hold the normalized values', async () => {
  const db = tdb.db;
  const employers = await db('province.employer').orderBy('natural_key').select('natural_key', 'usc_code', 'org_code', 'name', 'risk_class', 'industry_code', 'attributes', 'city_code');
  expect(employers).toEqual([
    { natural_key: ORG2, usc_code: null, org_code: ORG2, name: '乙煤矿', risk_class: 8, industry_code: '06', attributes: { division_code: '430903' }, city_code: '430900' },
    { natural_key: USC1, usc_code: USC1, org_code: USC1.slice(8, 17), name: '甲(湘江)机械有限公司', risk_class: 4, industry_code: 'C3311', attributes: { division_code: '430902' }, city_code: '430900' },
    { natural_key: USC7, usc_code: USC7, org_code: USC7.slice(8, 17), name: '己公司(新)', risk_class: 4, industry_code: '33', attributes: { division_code: '430902' }, city_code: '430900' },
  ].sort((a, b) => a.natural_key.localeCompare(b.natural_key)));
  const keys = await db('province.employer_city_key').orderBy('legacy_no').select('city_code', 'legacy_no');
  expect(keys).toEqual([{ city_code: '430900', legacy_no: 'E001' }, { city_code: '430900', legacy_no: 'E002' }, { city_code: '430900', legacy_no: 'E007' }]);

  const persons = await db('province.person').orderBy('id_number').select('id_number', 'name', 'gender', db.raw("birth_date::text as birth_date"));
  expect(persons).toEqual([
    { id_number: ID1, name: '张三', gender: 'M', birth_date: '1980-01-01' },
    { id_number: ID2, name: '李四', gender: 'F', birth_date: '1985-05-05' },
    { id_number: ID3, name: '王五', gender: 'M', birth_date: '1970-03-03' },
    { id_number: ID7, name: '周八', gender: 'F', birth_date: '1993-03-03' },
  ].sort((a, b) => a.id_number.localeCompare(b.id_number)));

  const spells = await db('province.insurance_spell as s').join('province.person as p', 'p.id', 's.person_id').join('province.employer as e', 'e.id', 's.employer_id')
    .orderBy(['p.id_number', 's.start_date'])
    .select('p.id_number', 'e.natural_key as employer', db.raw('s.start_date::text as start'), db.raw('s.end_date::text as "end"'), 's.natural_key');
  expect(spells).toEqual([
    { id_number: ID1, employer: USC1, start: '2020-01-01', end: null, natural_key: `${ID1}|${USC1}|2020-01-01` },
    { id_number: ID1, employer: ORG2, start: '2021-06-01', end: null, natural_key: `${ID1}|${ORG2}|2021-06-01` },
    { id_number: ID2, employer: ORG2, start: '2019-05-01', end: '2021-12-31', natural_key: `${ID2}|${ORG2}|2019-05-01` },
    { id_number: ID3, employer: USC1, start: '2018-01-01', end: null, natural_key: `${ID3}|${USC1}|2018-01-01` },
    { id_number: ID7, employer: ORG2, start: '2022-01-01', end: null, natural_key: `${ID7}|${ORG2}|2022-01-01` },
  ].sort((a, b) => a.id_number.localeCompare(b.id_number) || a.start.localeCompare(b.start)));

  const contributions = await db('province.contribution').orderBy('natural_key').select('natural_key', 'period', 'amount_due_fen', 'amount_paid_fen', 'rate');
  expect(contributions).toEqual([
    { natural_key: `${ORG2}|2023-01`, period: '2023-01', amount_due_fen: '10000', amount_paid_fen: '10000', rate: null },
    { natural_key: `${USC1}|2023-01`, period: '2023-01', amount_due_fen: '123450', amount_paid_fen: '123450', rate: '0.005' },
    { natural_key: `${USC1}|2023-02`, period: '2023-02', amount_due_fen: '123450', amount_paid_fen: '120000', rate: '0.005' },
  ].sort((a, b) => a.natural_key.localeCompare(b.natural_key)));

  const cases = await db('province.injury_case').orderBy('case_no').select('natural_key', 'case_no', db.raw('accident_date::text as accident'), db.raw('determination_date::text as determined'), 'result', 'accident_type');
  expect(cases).toEqual([
    { natural_key: '430900|C001', case_no: 'C001', accident: '2023-03-01', determined: '2023-04-15', result: 'recognized', accident_type: 'workplace_accident' },
    { natural_key: '430900|C002', case_no: 'C002', accident: '2023-05-01', determined: '2023-06-20', result: 'deemed', accident_type: 'sudden_death' },
  ]);
  const appraisals = await db('province.appraisal').orderBy('natural_key').select('natural_key', 'disability_grade', 'nursing_level');
  expect(appraisals).toEqual([
    { natural_key: '430900|C001|2023-08-01', disability_grade: 7, nursing_level: null },
    { natural_key: '430900|C002|2023-09-01', disability_grade: 3, nursing_level: 3 },
  ]);
  const benefits = await db('province.benefit_payment').orderBy('natural_key').select('natural_key', 'amount_fen');
  expect(benefits).toEqual([
    { natural_key: '430900|C001|disability_lump_sum|2023-08', amount_fen: '2700000' },
    { natural_key: '430900|C001|medical|2023-04', amount_fen: '150050' },
    { natural_key: '430900|C002|disability_allowance|2023-10', amount_fen: '320000' },
  ]);
});

test('control totals per city and year agree between the source rows and the provincial tables', () => {
  const totals = first.sources.flatMap((s) => s.controlTotals ?? []);
  const figure = (measure: string) => totals.find((t) => t.measure === measure && t.city === '430900' && t.year === '2023');
  expect(totals.every((t) => t.ok)).toBe(true);
  expect(figure('contribution.rows')).toMatchObject({ source: '3', province: '3' });
  expect(figure('contribution.amount_due_fen')).toMatchObject({ source: '256900', province: '256900' });
  expect(figure('contribution.amount_paid_fen')).toMatchObject({ source: '253450', province: '253450' });
  expect(figure('benefit_payment.rows')).toMatchObject({ source: '3' });
  expect(figure('benefit_payment.amount_fen')).toMatchObject({ source: '3170050', province: '3170050' });
  expect(figure('injury_case.rows')).toMatchObject({ source: '2', province: '2' });
  expect(figure('appraisal.rows')).toMatchObject({ source: '2', province: '2' });
});

test('the same person from a second city is one provincial person with several spells, overlaps reported', async () => {
  const second = await run('entities-b-1', path.join(dirB, '430800-zhangjiajie.yaml'));
  expect(streamOf(second, 'spells')).toMatchObject({ read: 1, loaded: 1 });
  const persons = await tdb.db('province.person').where('id_number', ID1).count({ n: '*' }).first();
  expect(Number(persons!.n)).toBe(1);
  const spells = await tdb.db('province.insurance_spell as s').join('province.person as p', 'p.id', 's.person_id').where('p.id_number', ID1).orderBy('s.start_date').pluck('s.city_code');
  expect(spells).toEqual(['430900', '430900', '430800']);
  // three spells of one person, all open: every pair overlaps; two pairs span the two cities
  expect(second.overlaps).toMatchObject({ total: 2, crossCity: 2, persons: 1 });
  expect(second.overlaps!.sample[0]!.idNumber).toBe(`${ID1.slice(0, 6)}********${ID1.slice(14)}`);
  const all = await run('entities-a-overlaps', path.join(dirA, '430900-yiyang.yaml'));
  expect(all.overlaps).toMatchObject({ total: 3, crossCity: 2, persons: 1 });
});

test('a late file bringing the missing employer turns its reference rejects into loaded rows', async () => {
  fs.writeFileSync(path.join(dirA, 'employers-2.csv'), csv([
    ['单位编号', '统一社会信用代码', '组织机构代码', '单位名称', '行业代码', '所属区划', '更新时间', '备注'],
    ['E009', USC9, '', '壬公司', '33', '430902', '2023-07-01 10:00:00', '补报'],
  ]));
  const late = await run('entities-a-2', path.join(dirA, '430900-yiyang.yaml'));
  expect(late.sources.filter((s) => s.status === 'loaded').map((s) => s.sourceKey)).toEqual(['430900/employers/employers-2.csv']);
  expect(late.referenceRetries).toMatchObject({ resolved: 2, narrowed: 1 });

  expect(await rejectsOf('spells')).toContainEqual({ row: 7, codes: ['reference.employer_missing'], status: 'resolved' });
  expect(await rejectsOf('contributions')).toEqual([
    { row: 5, codes: ['reference.employer_missing'], status: 'resolved' },
    { row: 6, codes: ['amount.precision'], status: 'open' },
    { row: 7, codes: ['amount.negative'], status: 'open' },
    { row: 8, codes: ['amount.format'], status: 'open' },
    { row: 9, codes: ['date.range'], status: 'open' },
  ]);
  // E003 itself was rejected: its spell still waits
  expect(await rejectsOf('spells')).toContainEqual({ row: 9, codes: ['reference.employer_missing'], status: 'open' });

  const spell = await tdb.db('province.insurance_spell as s').join('province.person as p', 'p.id', 's.person_id').where('p.id_number', ID4).first('s.natural_key');
  expect(spell!.natural_key).toBe(`${ID4}|${USC9}|2020-01-01`);
  const lineage = await tdb.db('pipeline.record_lineage').where({ natural_key: `${USC9}|2023-01`, entity: 'contribution' }).select('action');
  expect(lineage).toEqual([{ action: 'insert' }]);

  // the refreshed reports: outcomes and control totals now include the late rows
  expect(streamOf(late, 'contributions')).toMatchObject({ loaded: 4, rejected: 4, byReason: { 'amount.format': 1, 'amount.precision': 1, 'amount.negative': 1, 'date.range': 1 } });
  expect(streamOf(late, 'spells')).toMatchObject({ loaded: 6, rejected: 3 });
  const due = late.sources.flatMap((s) => s.controlTotals ?? []).find((t) => t.measure === 'contribution.amount_due_fen');
  expect(due).toMatchObject({ source: '306900', province: '306900', ok: true });
});

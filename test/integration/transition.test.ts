/**
 * The rate and benefit transition end to end on the real Temporal server and PostgreSQL: a
 * fixture city's files through cityMigration, then the rateTransition workflow; the persisted
 * paths, income impact and benefit schedules are checked against figures computed by hand
 * (switch-over 2025-01-01 under the sample policy: max_step 0.002, max_income_swing 0.10,
 * 3 benefit steps, average wage 6,000 yuan).
 *
 * | employer | class (how)         | legacy rate            | 2024 record                               | band | target | path 2025 … 2029                   |
 * |----------|---------------------|------------------------|-------------------------------------------|------|--------|------------------------------------|
 * | CS01     | 1 (industry 65)     | 0.0050 (due ÷ payroll) | class 1 does not float                    | 1.0  | 0.0020 | 0.0030 0.0020 …                    |
 * | CS02     | 6 (industry 47)     | 0.0100 (2023: 0.009)   | 14,880,000 ÷ 4,800,000 = 3.1, new injury  | 1.5  | 0.0195 | 0.0120 0.0140 0.0160 0.0180 0.0195 |
 * | CS03     | 8 (industry 06)     | 0.0190                 | 3,600,000 ÷ 2,280,000 = 1.58, none        | 1.0  | 0.0190 | stays                              |
 * | CS04     | 4 (三类表 二类 → 4) | 0.0100 ("1.0%")        | 1,200,000 ÷ 600,000 = 2.0, none           | 1.0  | 0.0090 | 0.0090                             |
 * | CS05     | 2 (industry 52)     | none (pays from 2025)  | class 2 does not float                    | 1.0  | 0.0040 | starts at 0.0040                   |
 * | CS06     | 3 (industry 13)     | 0.0070                 | 6 months only                             | 1.0  | 0.0070 | stays                              |
 *
 * Payroll bases (12 periods): 12M, 480M, 120M, 60M, 0, 18M (6 periods) fen.
 */
import fs from 'node:fs';
import * as XLSX from 'xlsx';
import { cityMigration } from '../../workflows/city-migration';
import { rateTransition, type RateTransitionResult } from '../../workflows/rate-transition';
import { idNumberFor, periodsBefore, writeTransitionCity, type CityContribution, type TransitionCityData } from '../../src/transition/demo-data';
import { DEFAULT_RATE_POLICY } from '../../src/transition/policy-file';
import { readBenefitSchedules, readEmployerDetail, readEmployerPaths, readIncomeYears, readRuns } from '../../src/transition/views';
import { benefitWorkbook, employerWorkbook, planWorkbook } from '../../src/transition/workbook';
import { createTestDatabase, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

const monthly = (employerNo: string, periods: readonly string[], payrollFen: bigint, rate: string, dueFen: bigint): CityContribution[] =>
  periods.map((period) => ({ employerNo, period, dueFen, paidFen: dueFen, payrollFen, rate }));

const twoYears = periodsBefore('2025-01-01', 24);
const y2023 = twoYears.slice(0, 12);
const y2024 = twoYears.slice(12);

const PERSONS = {
  p1: idNumberFor(11, '19800305'),
  p2: idNumberFor(12, '19850607'),
  p3: idNumberFor(13, '19700101'),
  p4: idNumberFor(14, '19750909'),
};

const CASES = { c2a: '长人社工认〔2022〕11号', c2b: '长人社工认〔2024〕52号', c3: '长人社工认〔2020〕7号', c4: '长人社工认〔2021〕30号' };

const FIXTURE_CITY: TransitionCityData = {
  employers: [
    { no: 'CS01', name: '长沙云算软件有限公司', industry: '65' },
    { no: 'CS02', name: '长沙建工集团有限公司', industry: '47' },
    { no: 'CS03', name: '湘中煤业有限公司', industry: '06' },
    { no: 'CS04', name: '长沙第二机械厂', threeClass: '二类' },
    { no: 'CS05', name: '长沙新零售有限公司', industry: '52' },
    { no: 'CS06', name: '长沙纺织有限公司', industry: '13' },
  ],
  insured: [
    { idNumber: PERSONS.p1, name: '王建国', employerNo: 'CS02', startDate: '2018-03-01' },
    { idNumber: PERSONS.p2, name: '李秀英', employerNo: 'CS02', startDate: '2019-05-01' },
    { idNumber: PERSONS.p3, name: '张伟', employerNo: 'CS03', startDate: '2010-01-01' },
    { idNumber: PERSONS.p4, name: '刘洋', employerNo: 'CS04', startDate: '2012-07-01' },
  ],
  contributions: [
    // no rate column value: the legacy rate is due ÷ payroll
    ...monthly('CS01', twoYears, 1_000_000n, '', 5_000n),
    ...monthly('CS02', y2023, 40_000_000n, '0.009', 360_000n),
    ...monthly('CS02', y2024, 40_000_000n, '0.010', 400_000n),
    ...monthly('CS03', twoYears, 10_000_000n, '0.019', 190_000n),
    ...monthly('CS04', twoYears, 5_000_000n, '1.0%', 50_000n),
    ...monthly('CS05', ['2025-01', '2025-02'], 2_000_000n, '0.004', 8_000n),
    ...monthly('CS06', y2024.slice(6), 3_000_000n, '0.007', 21_000n),
  ],
  cases: [
    { caseNo: CASES.c2a, idNumber: PERSONS.p1, employerNo: 'CS02', accidentDate: '2022-01-10', determinationDate: '2022-03-15' },
    { caseNo: CASES.c2b, idNumber: PERSONS.p2, employerNo: 'CS02', accidentDate: '2024-04-02', determinationDate: '2024-05-20' },
    { caseNo: CASES.c3, idNumber: PERSONS.p3, employerNo: 'CS03', accidentDate: '2020-06-18', determinationDate: '2020-08-01' },
    { caseNo: CASES.c4, idNumber: PERSONS.p4, employerNo: 'CS04', accidentDate: '2021-05-04', determinationDate: '2021-06-30' },
  ],
  appraisals: [
    { caseNo: CASES.c2a, date: '2022-06-01', grade: 4, nursingLevel: null },
    { caseNo: CASES.c4, date: '2021-09-01', grade: 2, nursingLevel: 3 },
  ],
  benefits: [
    ...y2024.map((period) => ({ caseNo: CASES.c2a, type: '伤残津贴', period, amountFen: 240_000n })),
    ...y2024.map((period) => ({ caseNo: CASES.c3, type: '供养亲属抚恤金', period, amountFen: 300_000n })),
    ...y2024.map((period) => ({ caseNo: CASES.c4, type: '生活护理费', period, amountFen: 100_000n })),
    { caseNo: CASES.c2b, type: '医疗费', period: '2024-06', amountFen: 12_000_000n },
  ],
};

let tdb: TestDatabase;
let temporal: TestTemporal;
let dir: string;
let first: RateTransitionResult;

const SAMPLE_TEXT = fs.readFileSync(DEFAULT_RATE_POLICY, 'utf8');

let runs = 0;
const transition = (policyText = SAMPLE_TEXT, rebandOn?: string): Promise<RateTransitionResult> =>
  temporal.client.workflow.execute(rateTransition, {
    workflowId: `transition-${++runs}`,
    taskQueue: temporal.taskQueues.main,
    args: [{ policyText, fileName: 'rate-policy.yaml', rebandOn }],
  });

/** The sample policy as another version. */
const policyVersion = (version: string, effectiveFrom: string, maxStep: string): string =>
  SAMPLE_TEXT.replace(/^version: .*$/m, `version: "${version}"`).replace(/^effective_from: .*$/m, `effective_from: "${effectiveFrom}"`).replace(/^max_step: .*$/m, `max_step: "${maxStep}"`);

const count = async (table: string, where: Record<string, unknown> = {}): Promise<number> =>
  Number(((await tdb.db(table).where(where).count('* as n').first()) as { n: string }).n);

const keyOf = async (no: string): Promise<string> =>
  ((await tdb.db('province.employer_city_key as k').join('province.employer as e', 'e.id', 'k.employer_id').where('k.legacy_no', no).first('e.employer_key')) as { employer_key: string }).employer_key;

async function pathsOf(runId: string): Promise<Record<string, { legacy: string | null; band: string; target: string; start: string | null; moves: number; rates: string[] }>> {
  const out: Record<string, { legacy: string | null; band: string; target: string; start: string | null; moves: number; rates: string[] }> = {};
  for (const p of await readEmployerPaths(tdb.db, [runId])) {
    const no = ((await tdb.db('province.employer_city_key').join('province.employer as e', 'e.id', 'employer_id').where('e.employer_key', p.employerKey).first('legacy_no')) as { legacy_no: string }).legacy_no;
    out[no] = { legacy: p.legacyRate, band: p.band, target: p.targetRate, start: p.startRate, moves: p.moves, rates: p.steps.map((s) => s.rate) };
  }
  return out;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  dir = tmpDir('transition');
  const mapping = writeTransitionCity(dir, FIXTURE_CITY);
  const report = await temporal.client.workflow.execute(cityMigration, {
    workflowId: 'transition-city',
    taskQueue: temporal.taskQueues.main,
    args: [{ mappingPath: mapping, taskQueues: temporal.taskQueues }],
  });
  const loaded = report.sources.map((s) => s.streams.reduce((n, st) => n + st.loaded, 0));
  // employers 5 + 1 (three-class roster), insured 4, contributions 104, cases 4, appraisals 2, benefits 37
  expect(loaded).toEqual([5, 1, 4, 104, 4, 2, 37]);
  first = await transition();
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

describe('the first run: from the legacy rates at the switch-over', () => {
  it('stores one run for the city with the policy version, its movements and flagged years', async () => {
    expect(first).toMatchObject({ policyVersion: '2025.1', effectiveFrom: '2025-01-01', empty: [] });
    expect(first.runs).toEqual([
      expect.objectContaining({ runId: 'rates:430100:2025.1:1', runVersion: 1, created: true, employers: 6, benefits: 3, flaggedYears: [0, 1], reasons: 0 }),
    ]);
    const [run] = await readRuns(tdb.db, ['rates:430100:2025.1:1']);
    expect(run).toMatchObject({ switchOver: '2025-01-01', assessedYear: 2024, basedOnRunId: null, years: 5 });
    expect(run!.movements).toEqual({
      up: { count: 1, smallestChange: '0.0095', largestChange: '0.0095', longestYears: 5, byYears: { 5: 1 } },
      down: { count: 2, smallestChange: '-0.0010', largestChange: '-0.0030', longestYears: 2, byYears: { 1: 1, 2: 1 } },
      stay: 2,
      new: 1,
    });
    const policy = await tdb.db('province.rate_policy_version').select('version', 'effective_from', 'file_name');
    expect(policy).toEqual([{ version: '2025.1', effective_from: '2025-01-01', file_name: 'rate-policy.yaml' }]);
  });

  it('gives every employer its legacy rate, class, band, target and yearly path', async () => {
    expect(await pathsOf('rates:430100:2025.1:1')).toEqual({
      CS01: { legacy: '0.0050', band: '1.0', target: '0.0020', start: '0.0050', moves: 2, rates: ['0.0030', '0.0020', '0.0020', '0.0020', '0.0020'] },
      CS02: { legacy: '0.0100', band: '1.5', target: '0.0195', start: '0.0100', moves: 5, rates: ['0.0120', '0.0140', '0.0160', '0.0180', '0.0195'] },
      CS03: { legacy: '0.0190', band: '1.0', target: '0.0190', start: '0.0190', moves: 0, rates: ['0.0190', '0.0190', '0.0190', '0.0190', '0.0190'] },
      CS04: { legacy: '0.0100', band: '1.0', target: '0.0090', start: '0.0100', moves: 1, rates: ['0.0090', '0.0090', '0.0090', '0.0090', '0.0090'] },
      CS05: { legacy: null, band: '1.0', target: '0.0040', start: null, moves: 0, rates: ['0.0040', '0.0040', '0.0040', '0.0040', '0.0040'] },
      CS06: { legacy: '0.0070', band: '1.0', target: '0.0070', start: '0.0070', moves: 0, rates: ['0.0070', '0.0070', '0.0070', '0.0070', '0.0070'] },
    });
  });

  it('keeps the floating-rule inputs with each band', async () => {
    const rows = (await tdb.db('province.employer_rate_path').orderBy('employer_key').select('employer_key', 'risk_class', 'band_basis', 'band_inputs')) as {
      employer_key: string;
      risk_class: number;
      band_basis: string;
      band_inputs: Record<string, unknown>;
    }[];
    const byKey = Object.fromEntries(rows.map((r) => [r.employer_key, r]));
    expect(byKey[await keyOf('CS02')]).toMatchObject({
      risk_class: 6,
      band_basis: 'floating_table',
      band_inputs: { assessedYear: 2024, contributionMonths: 24, contributionsPaidFen: '4800000', benefitsPaidFen: '14880000', newInjuries: 1, ratio: '3.1000', column: 2 },
    });
    expect(byKey[await keyOf('CS03')]).toMatchObject({ risk_class: 8, band_basis: 'floating_table', band_inputs: { benefitsPaidFen: '3600000', newInjuries: 0, ratio: '1.5789', column: 1 } });
    // the three-class roster: 二类 through the city's crosswalk
    expect(byKey[await keyOf('CS04')]).toMatchObject({ risk_class: 4, band_basis: 'floating_table', band_inputs: { ratio: '2.0000', column: 1 } });
    expect(byKey[await keyOf('CS01')]).toMatchObject({ risk_class: 1, band_basis: 'non_floating_class' });
    // class 2 does not float either, whatever its history
    expect(byKey[await keyOf('CS05')]).toMatchObject({ risk_class: 2, band_basis: 'non_floating_class', band_inputs: { contributionMonths: 0 } });
    expect(byKey[await keyOf('CS06')]).toMatchObject({ band_basis: 'short_contribution_history', band_inputs: { contributionMonths: 6 } });
  });

  it('traces each legacy rate to the contribution rows that set it and the landed rows behind them', async () => {
    const cs02 = await readEmployerDetail(tdb.db, 'CS02');
    expect(cs02).toMatchObject({ legacyRate: '0.0100', legacyPeriod: '2024-12', legacyRateSource: 'stated', payrollBaseFen: 480_000_000n, legacyIncomeFen: 4_800_000n });
    expect(cs02!.payrollPeriods).toEqual(periodsBefore('2025-01-01', 12));
    expect(cs02!.legacyRows).toHaveLength(1);
    const row = cs02!.legacyRows[0]!;
    // the rate as the provincial rule normalized it ("0.010" → "0.01")
    expect(row).toMatchObject({ period: '2024-12', rate: '0.01', dueFen: '400000' });
    expect(row.sourcePath).toMatch(/contributions\.csv$/);
    // the lineage of the provincial contribution record points at the same landed row
    const lineage = await tdb.db('pipeline.record_lineage').where({ entity: 'contribution', natural_key: row.naturalKey }).first('stream_id', 'row_no');
    expect(lineage).toEqual({ stream_id: row.streamId, row_no: row.rowNo });
    const raw = (await tdb.db('landing.raw_row').where({ stream_id: row.streamId, row_no: row.rowNo }).first(tdb.db.raw('landing.cells_json(cells, delimiter) AS cells'))) as { cells: unknown };
    expect(raw.cells).toEqual(['CS02', '2024-12', '4000.00', '4000.00', '400000.00', '0.010']);

    const cs01 = await readEmployerDetail(tdb.db, 'CS01');
    expect(cs01).toMatchObject({ legacyRate: '0.0050', legacyRateSource: 'derived' });
    expect(cs01!.legacyRows[0]).toMatchObject({ rate: null, dueFen: '5000', payrollFen: '1000000' });
    const cs04 = await readEmployerDetail(tdb.db, await keyOf('CS04'));
    expect(cs04).toMatchObject({ riskClass: 4, legacyRate: '0.0100', baseRate: '0.009' });
    expect(cs04!.legacyRows[0]!.rate).toBe('0.01');
  });

  it('projects the city income year by year against the legacy rates and flags swings above 10 %', async () => {
    const years = await readIncomeYears(tdb.db, ['rates:430100:2025.1:1']);
    expect(years.map((y) => [y.from, y.legacyFen, y.projectedFen, y.changeText, y.flagged])).toEqual([
      ['2025-01-01', 7_866_000n, 8_742_000n, '0.1114', true],
      ['2026-01-01', 7_866_000n, 9_690_000n, '0.1084', true],
      ['2027-01-01', 7_866_000n, 10_650_000n, '0.0991', false],
      ['2028-01-01', 7_866_000n, 11_610_000n, '0.0901', false],
      ['2029-01-01', 7_866_000n, 12_330_000n, '0.0620', false],
    ]);
    // per employer, round half up of payroll base × the year's rate
    const cs02 = await readEmployerDetail(tdb.db, 'CS02');
    expect(cs02!.steps.map((s) => s.projectedFen)).toEqual([5_760_000n, 6_720_000n, 7_680_000n, 8_640_000n, 9_360_000n]);
  });

  it('schedules each monthly benefit: raised in three steps to the standard, or kept above it', async () => {
    const benefits = await readBenefitSchedules(tdb.db, ['rates:430100:2025.1:1']);
    const byCase = Object.fromEntries(benefits.map((b) => [b.caseNo, b]));
    // grade 4: 240,000 ÷ 0.75 = 320,000 is below 60 % of 600,000; 0.75 × 360,000 = 270,000
    expect(byCase[CASES.c2a]).toMatchObject({ kind: 'disability_allowance', treatment: 'raise', legacyFen: 240_000n, standardFen: 270_000n, stepFen: 10_000n });
    expect(byCase[CASES.c2a]!.standardBasis).toMatchObject({ share: '0.75', disabilityGrade: '4', impliedWageFen: '320000.00', wageFen: '360000.00' });
    expect(byCase[CASES.c2a]!.schedule.map((s) => [s.step, s.effective, s.amountFen])).toEqual([
      [1, '2025-01-01', 250_000n],
      [2, '2026-01-01', 260_000n],
      [3, '2027-01-01', 270_000n],
    ]);
    // nursing level 3: 0.30 × 600,000 = 180,000; step round_half_up(80,000 ÷ 3) = 26,667, the last lands on the standard
    expect(byCase[CASES.c4]!.schedule.map((s) => [s.effective, s.amountFen])).toEqual([
      ['2025-01-01', 126_667n],
      ['2026-01-01', 153_334n],
      ['2027-01-01', 180_000n],
    ]);
    // 300,000 is above 0.40 × 600,000: kept, never reduced
    expect(byCase[CASES.c3]).toMatchObject({ kind: 'dependent_pension', treatment: 'keep', standardFen: 240_000n });
    expect(byCase[CASES.c3]!.schedule.map((s) => [s.step, s.effective, s.amountFen])).toEqual([[0, '2025-01-01', 300_000n]]);
    expect(byCase[CASES.c2a]!.legacyPayment).toMatchObject({ period: '2024-12', amountFen: '240000' });
    // the medical payment is not a monthly benefit
    expect(byCase[CASES.c2b]).toBeUndefined();
  });

  it('writes workbooks with Chinese headers and exact decimals as text', async () => {
    const ids = ['rates:430100:2025.1:1'];
    const plan = XLSX.read(planWorkbook(await readRuns(tdb.db, ids), await readEmployerPaths(tdb.db, ids)));
    expect(plan.SheetNames).toEqual(['汇总', '单位费率路径']);
    const rows = XLSX.utils.sheet_to_json<Record<string, string>>(plan.Sheets['单位费率路径']!);
    const cs02 = rows.find((r) => r['单位编码'] === 'CS02' || r['单位名称'] === '长沙建工集团有限公司')!;
    expect(cs02).toMatchObject({ 原费率: '0.0100', 目标费率: '0.0195', 方向: '上调', 第5年费率: '0.0195', '近12个月缴费工资（元）': '4800000.00' });
    expect(plan.Sheets['单位费率路径']!['F2']!.t).toBe('s');
    const summary = XLSX.utils.sheet_to_json<Record<string, string>>(plan.Sheets['汇总']!)[0]!;
    expect(summary).toMatchObject({ 下调单位数: '2', '下调幅度（最大）': '0.0030', 收入波动超限年度: '第1年、第2年' });

    const detail = XLSX.read(employerWorkbook((await readEmployerDetail(tdb.db, 'CS01'))!));
    const steps = XLSX.utils.sheet_to_json<Record<string, string>>(detail.Sheets['年度路径']!);
    // a cut is written as a direction and a magnitude, never a leading minus
    expect(steps[0]).toMatchObject({ 调整前费率: '0.0050', 调整后费率: '0.0030', 方向: '下调', 调整幅度: '0.0020' });

    const benefits = XLSX.read(benefitWorkbook(await readBenefitSchedules(tdb.db, ids)));
    const first = XLSX.utils.sheet_to_json<Record<string, string>>(benefits.Sheets['待遇过渡']!).find((r) => r['待遇类别'] === '生活护理费')!;
    expect(first).toMatchObject({ '原待遇（元/月）': '1000.00', '省标准（元/月）': '1800.00', '调整后（元/月）': '1266.67' });
  });
});

describe('recomputing', () => {
  it('with the same inputs finds the stored run and changes nothing', async () => {
    const before = await Promise.all(['employer_rate_path', 'employer_rate_step', 'city_income_year', 'benefit_transition_step'].map((t) => count(`province.${t}`)));
    const again = await transition();
    expect(again.runs).toEqual([expect.objectContaining({ runId: 'rates:430100:2025.1:1', created: false })]);
    expect(await Promise.all(['employer_rate_path', 'employer_rate_step', 'city_income_year', 'benefit_transition_step'].map((t) => count(`province.${t}`)))).toEqual(before);
    expect(await count('province.rate_policy_version')).toBe(1);
  });

  it('never edits a stored result', async () => {
    await expect(tdb.db('province.employer_rate_step').where({ run_id: 'rates:430100:2025.1:1' }).update({ rate: '0.0100' })).rejects.toThrow(/never edited in place/);
  });

  it('a re-banding makes a new run from the rate in force the day before, leaving the first as it was', async () => {
    const reband = await transition(SAMPLE_TEXT, '2026-01-01');
    expect(reband.runs).toEqual([expect.objectContaining({ runId: 'rates:430100:2025.1:2', runVersion: 2, created: true, effectiveFrom: '2026-01-01', flaggedYears: [] })]);
    const [run] = await readRuns(tdb.db, ['rates:430100:2025.1:2']);
    expect(run).toMatchObject({ basedOnRunId: 'rates:430100:2025.1:1', switchOver: '2025-01-01', assessedYear: 2025, years: 2 });
    // 2025 holds no contributions and no benefits: floating employers go to band 0.8
    expect(await pathsOf('rates:430100:2025.1:2')).toEqual({
      CS01: { legacy: '0.0050', band: '1.0', target: '0.0020', start: '0.0030', moves: 1, rates: ['0.0020', '0.0020'] },
      CS02: { legacy: '0.0100', band: '0.8', target: '0.0104', start: '0.0120', moves: 1, rates: ['0.0104', '0.0104'] },
      CS03: { legacy: '0.0190', band: '0.8', target: '0.0152', start: '0.0190', moves: 2, rates: ['0.0170', '0.0152'] },
      CS04: { legacy: '0.0100', band: '0.8', target: '0.0072', start: '0.0090', moves: 1, rates: ['0.0072', '0.0072'] },
      CS05: { legacy: null, band: '1.0', target: '0.0040', start: '0.0040', moves: 0, rates: ['0.0040', '0.0040'] },
      CS06: { legacy: '0.0070', band: '1.0', target: '0.0070', start: '0.0070', moves: 0, rates: ['0.0070', '0.0070'] },
    });
    expect(run!.movements).toMatchObject({ up: { count: 0 }, down: { count: 4, smallestChange: '-0.0010', largestChange: '-0.0038', longestYears: 2 }, stay: 2, new: 0 });
    const years = await readIncomeYears(tdb.db, ['rates:430100:2025.1:2']);
    expect(years.map((y) => [y.from, y.legacyFen, y.projectedFen, y.changeText])).toEqual([
      ['2026-01-01', 7_866_000n, 7_614_000n, '-0.0320'],
      ['2027-01-01', 7_866_000n, 7_398_000n, '-0.0284'],
    ]);
    // benefits continue from the amount in force: 250,000 → 270,000 in steps of 6,667
    const benefits = await readBenefitSchedules(tdb.db, ['rates:430100:2025.1:2']);
    const c2a = benefits.find((b) => b.caseNo === CASES.c2a)!;
    expect(c2a).toMatchObject({ legacyFen: 250_000n, legacyBasis: 'schedule', standardFen: 270_000n, stepFen: 6_667n });
    expect(c2a.schedule.map((s) => s.amountFen)).toEqual([256_667n, 263_334n, 270_000n]);
    expect(benefits.find((b) => b.caseNo === CASES.c4)!.schedule.map((s) => s.amountFen)).toEqual([144_445n, 162_223n, 180_000n]);
    // the first run is untouched
    expect(await pathsOf('rates:430100:2025.1:1')).toMatchObject({ CS02: { target: '0.0195', rates: ['0.0120', '0.0140', '0.0160', '0.0180', '0.0195'] } });
    expect(await count('province.employer_rate_step', { run_id: 'rates:430100:2025.1:1' })).toBe(30);
  });

  it('a new policy version continues the latest run that took effect before it', async () => {
    const next = await transition(policyVersion('2027.1', '2027-01-01', '0.001'));
    expect(next.runs).toEqual([expect.objectContaining({ runId: 'rates:430100:2027.1:3', created: true })]);
    const [run] = await readRuns(tdb.db, ['rates:430100:2027.1:3']);
    expect(run).toMatchObject({ basedOnRunId: 'rates:430100:2025.1:2', switchOver: '2025-01-01', assessedYear: 2026 });
    // CS03 stood at 0.0170 on 2026-12-31; 0.001 a year now
    expect((await pathsOf('rates:430100:2027.1:3')).CS03).toMatchObject({ start: '0.0170', target: '0.0152', rates: ['0.0160', '0.0152'] });
    expect(await count('province.rate_policy_version')).toBe(2);
  });

  it('refuses a policy file that changes its content under a version already used', async () => {
    await expect(transition(policyVersion('2025.1', '2025-01-01', '0.003'))).rejects.toMatchObject({ cause: { cause: { type: 'RatePolicyVersionConflict' } } });
    expect(await count('province.rate_transition_run')).toBe(3);
  });
});

/**
 * A city's legacy files for the rate and benefit transition, as its system would export them:
 * employer rosters (one on industry codes, one on the pre-2015 three-class table), insured
 * persons, contributions, injury cases, appraisals and monthly benefit payments, next to the
 * mapping `mappings/demo/rates/430100-changsha-rates.yaml`. The demo generates the records from a
 * seed; the end-to-end test writes records it computed by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { applyRatio, fenToYuanString, parseDecimal } from '../domain/decimal';
import { parseRate } from '../domain/normalize/field-reader';
import { anniversary, periodMonthsBefore, periodOf } from '../domain/transition';
import { idCheckChar } from '../domain/rules/resident-id';
import { orgCheckChar } from '../domain/rules/org-code';
import { uscCheckChar } from '../domain/rules/usc-code';
import { intBetween, pick, seededRandom } from '../demo/prng';
import { syntheticName } from '../demo/synthetic-people';
import { fromRoot } from '../project-root';

export const TRANSITION_MAPPING = fromRoot('mappings', 'demo', 'rates', '430100-changsha-rates.yaml');

export interface CityEmployer {
  no: string;
  name: string;
  /** a GB/T 4754-2017 division, on the industry-code roster */
  industry?: string;
  /** 一类 / 二类 / 三类, on the pre-2015 roster (keyed by organization code) */
  threeClass?: string;
}

export interface CityInsured {
  idNumber: string;
  name: string;
  employerNo: string;
  startDate: string;
}

export interface CityContribution {
  employerNo: string;
  period: string;
  dueFen: bigint;
  paidFen: bigint;
  payrollFen: bigint;
  /** as the city writes it ("0.019", "1.0%"); empty where its system kept none */
  rate: string;
}

export interface CityCase {
  caseNo: string;
  idNumber: string;
  employerNo: string;
  accidentDate: string;
  determinationDate: string;
}

export interface CityAppraisal {
  caseNo: string;
  date: string;
  grade: number;
  /** 1–3, or none */
  nursingLevel: number | null;
}

export interface CityBenefit {
  caseNo: string;
  /** the city's label: 伤残津贴, 生活护理费, 供养亲属抚恤金, 医疗费 */
  type: string;
  period: string;
  amountFen: bigint;
}

export interface TransitionCityData {
  employers: CityEmployer[];
  insured: CityInsured[];
  contributions: CityContribution[];
  cases: CityCase[];
  appraisals: CityAppraisal[];
  benefits: CityBenefit[];
}

/** A valid 8-character organization body and check, from a number. */
export function orgCodeFor(n: number): string {
  const body = `MA${String(n).padStart(6, '0')}`;
  return body + orgCheckChar(body);
}

/** A valid USC code of a company (91) registered in `division`. */
export function uscCodeFor(n: number, division = '430100'): string {
  const first17 = `91${division}${orgCodeFor(n)}`;
  return first17 + uscCheckChar(first17);
}

/** A valid resident ID of a person born on `birth` (YYYYMMDD) in a Changsha district. */
export function idNumberFor(n: number, birth = '19800101', region = '430102'): string {
  const first17 = `${region}${birth}${String(n % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

const csvCell = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
function writeCsv(file: string, header: string[], rows: string[][]): void {
  fs.writeFileSync(file, [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n');
}

/** Writes the mapping and the city's files into `dir`; returns the mapping's path. */
export function writeTransitionCity(dir: string, data: TransitionCityData): string {
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const mapping = path.join(dir, path.basename(TRANSITION_MAPPING));
  fs.copyFileSync(TRANSITION_MAPPING, mapping);
  const numbered = data.employers.map((e, i) => ({ ...e, seq: i + 1 }));
  writeCsv(
    path.join(dataDir, 'employers.csv'),
    ['单位编号', '统一社会信用代码', '单位名称', '行业代码'],
    numbered.filter((e) => e.threeClass === undefined).map((e) => [e.no, uscCodeFor(e.seq), e.name, e.industry ?? '']),
  );
  writeCsv(
    path.join(dataDir, 'employers-three-class.csv'),
    ['单位编号', '组织机构代码', '单位名称', '行业类别'],
    numbered.filter((e) => e.threeClass !== undefined).map((e) => [e.no, orgCodeFor(e.seq), e.name, e.threeClass!]),
  );
  writeCsv(path.join(dataDir, 'insured.csv'), ['身份证号', '姓名', '单位编号', '参保日期'], data.insured.map((p) => [p.idNumber, p.name, p.employerNo, p.startDate]));
  const yuan = fenToYuanString;
  writeCsv(
    path.join(dataDir, 'contributions.csv'),
    ['单位编号', '费款所属期', '应缴金额', '实缴金额', '缴费工资总额', '费率'],
    data.contributions.map((c) => [c.employerNo, c.period, yuan(c.dueFen), yuan(c.paidFen), yuan(c.payrollFen), c.rate]),
  );
  writeCsv(
    path.join(dataDir, 'cases.csv'),
    ['认定书编号', '身份证号', '单位编号', '事故日期', '认定日期', '认定结论', '事故类别'],
    data.cases.map((c) => [c.caseNo, c.idNumber, c.employerNo, c.accidentDate, c.determinationDate, '认定工伤', '工作事故']),
  );
  writeCsv(
    path.join(dataDir, 'appraisals.csv'),
    ['认定书编号', '鉴定日期', '伤残等级', '护理等级'],
    data.appraisals.map((a) => [a.caseNo, a.date, String(a.grade), a.nursingLevel === null ? '' : String(a.nursingLevel)]),
  );
  writeCsv(path.join(dataDir, 'benefits.csv'), ['认定书编号', '待遇类别', '所属期', '金额'], data.benefits.map((b) => [b.caseNo, b.type, b.period, yuan(b.amountFen)]));
  return mapping;
}

/** `n` monthly periods ending the month before `switchOver`, oldest first. */
export function periodsBefore(switchOver: string, n: number): string[] {
  const first = periodOf(switchOver);
  return Array.from({ length: n }, (_, i) => periodMonthsBefore(first, n - i));
}

/** Industry divisions of the demo, one or two per risk class (GB/T 4754-2017). */
const DEMO_INDUSTRIES = ['65', '66', '51', '52', '13', '14', '01', '33', '49', '50', '47', '48', '07', '25', '06', '08'];
/** Legacy city rates before the switch-over: the local schedules the cities kept. */
const LEGACY_RATES = ['0.005', '0.006', '0.008', '0.010', '0.012', '0.015', '0.018', '0.020'];
const THREE_CLASS = [
  ['一类', '0.005'],
  ['二类', '1.0%'],
  ['三类', '2.0%'],
] as const;

/** The amount due on a payroll at a rate as the city writes it ("1.0%"), read by the provincial rule. */
function dueOn(payrollFen: bigint, rateText: string): bigint {
  const rate = parseRate(rateText);
  if (!rate.ok) throw new Error(`demo rate ${rateText} does not read`);
  return applyRatio(payrollFen, parseDecimal(rate.value));
}

/**
 * A demo city: `employers` employers over the classes (every tenth on the three-class roster),
 * two years of contributions before the switch-over, a few cases with appraisals and monthly
 * benefits paid up to the switch-over. The same seed gives the same files.
 */
export function demoTransitionCity(seed: number, switchOver: string, employers = 40): TransitionCityData {
  const rand = seededRandom(seed);
  const data: TransitionCityData = { employers: [], insured: [], contributions: [], cases: [], appraisals: [], benefits: [] };
  const periods = periodsBefore(switchOver, 24);
  const assessedYear = Number(switchOver.slice(0, 4)) - 1;
  let person = 0;
  for (let i = 0; i < employers; i++) {
    const no = `CS${String(i + 1).padStart(4, '0')}`;
    const three = i % 10 === 9 ? pick(rand, THREE_CLASS) : null;
    data.employers.push(three ? { no, name: `长沙${syntheticName(rand)}实业公司`, threeClass: three[0] } : { no, name: `长沙${syntheticName(rand)}有限公司`, industry: pick(rand, DEMO_INDUSTRIES) });
    const rate = three ? three[1] : pick(rand, LEGACY_RATES);
    const payroll = BigInt(intBetween(rand, 20, 800)) * 1_000_000n;
    // a young employer: fewer than 12 months before the switch-over
    const months = i % 7 === 6 ? intBetween(rand, 3, 10) : periods.length;
    for (const period of periods.slice(periods.length - months)) {
      const due = dueOn(payroll, rate);
      data.contributions.push({ employerNo: no, period, dueFen: due, paidFen: due, payrollFen: payroll, rate });
    }
    if (rand() < 0.3) {
      person++;
      const idNumber = idNumberFor(person, `19${intBetween(rand, 60, 99)}0${intBetween(rand, 1, 9)}1${intBetween(rand, 0, 9)}`);
      data.insured.push({ idNumber, name: syntheticName(rand), employerNo: no, startDate: '2015-03-01' });
      const year = assessedYear - intBetween(rand, 0, 4);
      const month = `0${intBetween(rand, 1, 9)}`;
      const caseNo = `长人社工认〔${year}〕${100 + person}号`;
      const determined = `${year}-${month}-15`;
      data.cases.push({ caseNo, idNumber, employerNo: no, accidentDate: anniversary(determined, -1), determinationDate: determined });
      const grade = intBetween(rand, 1, 4);
      // appraised in the month of the determination
      data.appraisals.push({ caseNo, date: `${year}-${month}-28`, grade, nursingLevel: grade <= 2 ? grade + 1 : null });
      const allowance = BigInt(intBetween(rand, 200, 700)) * 1_000n;
      for (const period of periods.slice(-12)) {
        data.benefits.push({ caseNo, type: '伤残津贴', period, amountFen: allowance });
        if (grade <= 2) data.benefits.push({ caseNo, type: '生活护理费', period, amountFen: BigInt(intBetween(rand, 100, 250)) * 1_000n });
      }
    }
  }
  return data;
}

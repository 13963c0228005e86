/**
 * The fund step of `tongchou demo`: three demo cities' fund statements (two xlsx workbooks in 万元
 * by period bucket, one pair of CSV files in 元 by year) are loaded through the pipeline with
 * their own mappings (mappings/demo/funds/), then run under both models — remittance plans of the
 * unified policy (with their workflows, awaiting approval) and the adjustment fund's coverage,
 * including a year in which the fund cannot cover every city's gap.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sheetJs } from '../sheetjs';
import { fenToYuanString, formatDecimal, ratio } from '../domain/decimal';
import { toFen } from '../domain/rules/money';
import { renderCityReport } from '../cli/city-report';
import { runCityMigration } from '../cli/run-city';
import type { Runtime } from '../runtime';
import type { CityReport } from '../../workflows/city-migration';
import { runCoverageStep, runPlanStep, type CoverageStepResult, type PlanStepResult } from './fund-step';
import { readPolicyFile } from './policy-file';
import { renderFundTables, renderReasons } from './render';
import { coverageTables, planTables } from './tables';
import { fromRoot } from '../project-root';

export const DEMO_FUND_MAPPINGS = fromRoot('mappings', 'demo', 'funds');

type Basis = '决算' | '预算';
/** A bucket row of a statement in 万元: period label, basis, surplus, of which reserve and city adjustment fund. */
type BucketRow = [string, Basis, string, string, string];
/** A year of flows: year, basis, contribution income, other income, expenditure. */
type FlowRow = [number, Basis, string, string, string];

interface BucketStatement {
  cityCode: string;
  cityName: string;
  buckets: BucketRow[];
  flows: FlowRow[];
}

/** 长沙 and 株洲 report by period bucket in 万元 (长沙 also has a budget figure, which final accounts override). */
const BUCKET_STATEMENTS: BucketStatement[] = [
  {
    cityCode: '430100',
    cityName: '长沙市',
    buckets: [
      ['2015年及以前', '决算', '18642.1357', '1500', '800'],
      ['2016—2020年', '决算', '12345.6789', '0', '0'],
      ['2021—2025年', '决算', '9876.54321', '0', '0'],
      ['2021—2025年', '预算', '9900', '0', '0'],
    ],
    flows: [
      [2022, '决算', '50000', '300', '42000'],
      [2023, '决算', '55000', '320', '48000'],
      [2024, '决算', '56000', '300', '72000'],
      [2025, '决算', '58000', '330', '60000'],
    ],
  },
  {
    cityCode: '430200',
    cityName: '株洲市',
    buckets: [
      ['2015年及以前', '决算', '1234.5678', '300', '0'],
      ['2016—2020年', '决算', '2345.6789', '0', '0'],
      ['2021—2025年', '决算', '1111.1111', '0', '0'],
    ],
    flows: [
      [2022, '决算', '19000', '90', '18000'],
      [2023, '决算', '20000', '100', '26000'],
      [2024, '决算', '18000', '90', '30000'],
      [2025, '决算', '19000', '95', '21000'],
    ],
  },
];

/** 湘潭 reports the surplus accrued each year, in 元: the province sorts the years into its buckets. */
const XIANGTAN_YEARS = Array.from({ length: 18 }, (_, i) => 2008 + i);
const xiangtanSurplusYuan = (year: number): string => formatDecimal(ratio(123_456_789n + BigInt(year - 2008) * 11_111_111n, 100n), 2);
const XIANGTAN_FLOWS: [number, string, string, string][] = [
  [2022, '95000000.00', '500000.00', '90000000.00'],
  [2023, '100000000.00', '500000.00', '160000000.00'],
  [2024, '90000000.00', '400000.00', '200000000.00'],
  [2025, '95000000.00', '450000.00', '110000000.00'],
];

/** Σ of decimal texts in a unit, exactly (for the statements' 合计 lines). */
function total(values: readonly string[], unit: 'wan_yuan' | 'yuan'): string {
  const fen = values.reduce((sum, v) => {
    const r = toFen(v, unit);
    if (!r.ok) throw new Error(`demo figure ${v} is not an amount`);
    return sum + r.value;
  }, 0n);
  return unit === 'yuan' ? fenToYuanString(fen) : formatDecimal(ratio(fen, 1_000_000n), 6);
}

function writeBucketWorkbook(file: string, s: BucketStatement): void {
  const positions = [
    [`${s.cityName}工伤保险基金累计结余情况表`],
    ['单位：万元'],
    ['序号', '结余时段', '口径', '累计结余', '其中：储备金', '其中：市级调剂金'],
    ...s.buckets.map(([period, basis, surplus, reserve, caf], i) => [i + 1, period, basis, Number(surplus), Number(reserve), Number(caf)]),
    ['', '合计', '', total(s.buckets.filter((b) => b[1] === '决算').map((b) => b[2]), 'wan_yuan'), '', ''],
  ];
  const flows = [
    [`${s.cityName}工伤保险基金年度收支表`],
    ['单位：万元'],
    ['年度', '口径', '保险费收入', '其他收入', '基金支出'],
    ...s.flows.map(([year, basis, income, other, spending]) => [year, basis, Number(income), Number(other), Number(spending)]),
  ];
  const book = sheetJs().utils.book_new();
  sheetJs().utils.book_append_sheet(book, sheetJs().utils.aoa_to_sheet(positions), '累计结余');
  sheetJs().utils.book_append_sheet(book, sheetJs().utils.aoa_to_sheet(flows), '年度收支');
  writeIfChanged(file, sheetJs().write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
}

function writeXiangtanCsv(dir: string): void {
  const surplus = XIANGTAN_YEARS.map(xiangtanSurplusYuan);
  const lines = [
    '湘潭市工伤保险基金历年结余',
    '单位：元',
    '年度,当年结余(元),其中储备金(元)',
    ...XIANGTAN_YEARS.map((y, i) => `${y},${surplus[i]},${y === 2025 ? '1000000.00' : ''}`),
    `合计,${total(surplus, 'yuan')},1000000.00`,
  ];
  writeIfChanged(path.join(dir, 'fund-surplus.csv'), Buffer.from(lines.join('\n') + '\n'));
  const flows = ['年度,保险费收入(元),其他收入(元),基金支出(元)', ...XIANGTAN_FLOWS.map((f) => f.join(','))];
  writeIfChanged(path.join(dir, 'fund-flows.csv'), Buffer.from(flows.join('\n') + '\n'));
}

/** Same bytes, same file: a re-run of the demo finds its sources unchanged and loads nothing twice. */
function writeIfChanged(file: string, content: Buffer): void {
  if (fs.existsSync(file) && fs.readFileSync(file).equals(content)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** Writes the demo fund statements and their mappings under `dir`; returns the mapping files. */
export function writeDemoFundFiles(dir: string): string[] {
  for (const s of BUCKET_STATEMENTS) writeBucketWorkbook(path.join(dir, 'data', s.cityCode, 'fund-statement.xlsx'), s);
  writeXiangtanCsv(path.join(dir, 'data', '430300'));
  return fs
    .readdirSync(DEMO_FUND_MAPPINGS)
    .filter((f) => /^\d{6}-.*\.yaml$/.test(f))
    .sort()
    .map((f) => {
      fs.copyFileSync(path.join(DEMO_FUND_MAPPINGS, f), path.join(dir, f));
      return path.join(dir, f);
    });
}

export interface FundsDemoResult {
  cities: CityReport[];
  plans: PlanStepResult;
  coverage: CoverageStepResult;
}

/** Loads the demo fund statements, runs both models, prints the plans and the coverage table. */
export async function runFundsDemo(rt: Runtime, opts: { json?: boolean } = {}): Promise<FundsDemoResult> {
  const say = (text: string): void => {
    if (!opts.json) process.stdout.write(`${text}\n`);
  };
  const dir = path.join(rt.config.dataDir, 'demo', 'funds');
  const cities: CityReport[] = [];
  for (const mapping of writeDemoFundFiles(dir)) {
    const report = await runCityMigration(rt, mapping);
    cities.push(report);
    say(`\n${renderCityReport(report)}`);
  }

  const unified = readPolicyFile(path.join(DEMO_FUND_MAPPINGS, 'fund-policy-unified.yaml'));
  const plans = await runPlanStep(rt.db, rt.client, unified);
  say(`\n── 统收统支 (unified), policy ${plans.policyVersion}: remittance plans ──\n${renderFundTables(planTables(plans.plans))}${renderReasons(plans.reasons)}`);
  const waiting = plans.plans.filter((p) => p.status === 'computed' || p.status === 'awaiting_approval');
  if (waiting[0]) say(`\nthe plans wait for approval, e.g.: tongchou funds approve --plan ${waiting[0].planId} --as demo.approver`);

  const adjustment = readPolicyFile(path.join(DEMO_FUND_MAPPINGS, 'fund-policy-adjustment.yaml'));
  const coverage = await runCoverageStep(rt.db, adjustment);
  say(`\n── 省级调剂金 (adjustment), policy ${coverage.policyVersion}: deficit coverage ──\n${coverage.run ? renderFundTables(coverageTables(coverage.run)) : ''}${renderReasons(coverage.reasons)}`);
  return { cities, plans, coverage };
}

import * as XLSX from 'xlsx';
import type { RateMovements } from '../../../src/domain/transition';
import type { BenefitView, EmployerPathView, IncomeYearView, RunView } from '../../../src/transition/views';
import { benefitWorkbook, impactWorkbook, planWorkbook, safeText, standardBasisText } from '../../../src/transition/workbook';

const movements: RateMovements = {
  up: { count: 1, smallestChange: '0.0095', largestChange: '0.0095', longestYears: 5, byYears: { 5: 1 } },
  down: { count: 1, smallestChange: '-0.0030', largestChange: '-0.0030', longestYears: 2, byYears: { 2: 1 } },
  stay: 0,
  new: 0,
};
const run: RunView = {
  runId: 'rates:430100:2025.1:1',
  cityCode: '430100',
  runVersion: 1,
  policyVersion: '2025.1',
  effectiveFrom: '2025-01-01',
  switchOver: '2025-01-01',
  assessedYear: 2024,
  basedOnRunId: null,
  years: 2,
  employers: 1,
  benefits: 1,
  movements,
  flaggedYears: [0],
  reasons: [{ subject: '=CMD', code: 'transition.no_risk_class' }],
  computedAt: '2026-11-29T00:00:00.000Z',
};
const path: EmployerPathView = {
  runId: run.runId,
  cityCode: '430100',
  employerKey: '91430100MA0000015K',
  name: '=HYPERLINK("http://x","点我")',
  riskClass: 1,
  legacyRate: '0.0050',
  legacyPeriod: '2024-12',
  legacyRateSource: 'derived',
  band: '1.0',
  bandBasis: 'non_floating_class',
  baseRate: '0.002',
  targetRate: '0.0020',
  startRate: '0.0050',
  startBasis: 'legacy',
  direction: 'down',
  moves: 2,
  reachesTargetOn: '2026-01-01',
  payrollBaseFen: 12_000_001n,
  legacyIncomeFen: 60_000n,
  steps: [
    { step: 0, effective: '2025-01-01', fromRate: '0.0050', rate: '0.0030', change: '-0.0020', atTarget: false, projectedFen: 36_000n },
    { step: 1, effective: '2026-01-01', fromRate: '0.0030', rate: '0.0020', change: '-0.0010', atTarget: true, projectedFen: 24_000n },
  ],
};

const rowsOf = (buffer: Buffer, sheet: string): Record<string, string>[] => XLSX.utils.sheet_to_json<Record<string, string>>(XLSX.read(buffer).Sheets[sheet]!);

describe('safeText', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+86 731', "'+86 731"],
    ['-0.0010', "'-0.0010"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['0.0100', '0.0100'],
    ['长沙市', '长沙市'],
  ])('%j → %j', (input, output) => {
    expect(safeText(input)).toBe(output);
  });
});

describe('planWorkbook', () => {
  const book = planWorkbook([run], [path]);

  it('has Chinese headers, every cell as text, rates and yuan exact', () => {
    const wb = XLSX.read(book);
    expect(wb.SheetNames).toEqual(['汇总', '单位费率路径']);
    const sheet = wb.Sheets['单位费率路径']!;
    const cells = Object.keys(sheet).filter((k) => !k.startsWith('!'));
    expect(cells.every((k) => (sheet[k] as XLSX.CellObject).t === 's')).toBe(true);
    const [row] = rowsOf(book, '单位费率路径');
    expect(row).toMatchObject({ 原费率: '0.0050', 原费率来源: '应缴金额÷缴费工资推算', 方向: '下调', '近12个月缴费工资（元）': '120000.01', 第1年费率: '0.0030', 第2年费率: '0.0020' });
  });

  it('neutralises a formula in a text cell and writes cuts as magnitudes', () => {
    const [row] = rowsOf(book, '单位费率路径');
    expect(row!['单位名称']).toBe('\'=HYPERLINK("http://x","点我")');
    const [summary] = rowsOf(book, '汇总');
    expect(summary).toMatchObject({ '下调幅度（最大）': '0.0030', '上调幅度（最大）': '0.0095', 收入波动超限年度: '第1年', 未能测算: "'=CMD: transition.no_risk_class" });
  });
});

describe('impactWorkbook', () => {
  const year = (yearIndex: number, previousFen: bigint, projectedFen: bigint, change: string): IncomeYearView => ({
    runId: run.runId, cityCode: '430100', yearIndex, from: `${2025 + yearIndex}-01-01`, projectedFen, legacyFen: 100_000n, previousFen, change, changeText: change, flagged: false, maxIncomeSwing: '0.10',
  });
  it('writes a fall in income as 减少 and its size, per city-year and per employer-year', () => {
    const book = impactWorkbook([run], [year(0, 100_000n, 95_000n, '-0.0500'), year(1, 95_000n, 95_000n, '0.0000')], [path]);
    expect(rowsOf(book, '收入影响').map((r) => [r['年度'], r['变动方向'], r['变动幅度'], r['预计收入（元）']])).toEqual([
      ['第1年', '减少', '0.0500', '950.00'],
      ['第2年', '持平', '0.0000', '950.00'],
    ]);
    expect(rowsOf(book, '单位年度缴费').map((r) => [r['生效日期'], r['费率'], r['预计缴费（元）']])).toEqual([
      ['2025-01-01', '0.0030', '360.00'],
      ['2026-01-01', '0.0020', '240.00'],
    ]);
  });
});

describe('benefitWorkbook', () => {
  const benefit: BenefitView = {
    runId: run.runId,
    cityCode: '430100',
    benefitKey: '430100|C1|disability_allowance',
    caseNo: 'C1',
    kind: 'disability_allowance',
    treatment: 'raise',
    legacyFen: 240_000n,
    legacyBasis: 'paid',
    standardFen: 270_000n,
    steps: 3,
    stepFen: 10_000n,
    standardBasis: { averageWageFen: '600000', share: '0.75', disabilityGrade: '4', impliedWageFen: '320000.00', wageFen: '360000.00' },
    legacyPayment: { period: '2024-12' },
    schedule: [{ step: 1, effective: '2025-01-01', previousFen: 240_000n, amountFen: 250_000n, raiseFen: 10_000n }],
  };
  it('lists each dated adjustment with its inputs in Chinese', () => {
    expect(rowsOf(benefitWorkbook([benefit]), '待遇过渡')).toEqual([
      expect.objectContaining({ 待遇类别: '伤残津贴', 处理方式: '分步提高至标准', '原待遇（元/月）': '2400.00', '省标准（元/月）': '2700.00', 步骤: '1', '调整后（元/月）': '2500.00', 原待遇所属期: '2024-12' }),
    ]);
    expect(standardBasisText(benefit.standardBasis)).toBe('全省平均工资6000.00元，比例0.75，伤残4级，推算本人工资3200.00元，计发工资3600.00元');
  });
});

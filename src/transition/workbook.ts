/**
 * Workbooks for the provincial office (省厅): the rate plan, the income impact, one employer and
 * the benefit transition, with Chinese headers. Every cell is text — rates and yuan amounts are
 * exact decimal strings, never floats — and every text cell is neutralised against formula
 * injection. Signed changes are written as a direction and a magnitude, so no figure needs a
 * leading minus.
 */
import type * as XLSX from 'xlsx';
import { sheetJs } from '../sheetjs';
import { div, fenToYuanString, formatDecimal, parseDecimal, ratio } from '../domain/decimal';
import type { BenefitView, EmployerDetailView, EmployerPathView, IncomeYearView, RunView } from './views';

type Cell = string | number | bigint | boolean | null | undefined;

/** A cell a spreadsheet would read as a formula (= + - @, or a leading tab or CR) gets an apostrophe. */
export function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const text = (v: Cell): string => (v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? '是' : '否') : safeText(String(v)));
const yuan = (fen: bigint): string => fenToYuanString(fen);
/** A signed decimal without its sign. */
const magnitude = (signed: string): string => signed.replace(/^[-+]/, '');

const DIRECTION: Record<string, string> = { up: '上调', down: '下调', stay: '不变' };
const BAND_BASIS: Record<string, string> = { non_floating_class: '一、二类不浮动', short_contribution_history: '缴费不满一年', floating_table: '浮动费率表' };
const START_BASIS: Record<string, string> = { legacy: '原费率', rate_in_force: '调整前执行费率', target: '无原费率，按目标费率' };
const RATE_SOURCE: Record<string, string> = { stated: '缴费记录载明', derived: '应缴金额÷缴费工资推算' };
export const BENEFIT_KIND: Record<string, string> = { disability_allowance: '伤残津贴', nursing_care: '生活护理费', dependent_pension: '供养亲属抚恤金' };
const TREATMENT: Record<string, string> = { raise: '分步提高至标准', keep: '高于标准，保留', at_standard: '已达标准' };

function sheet(rows: Cell[][], widths?: number[]): XLSX.WorkSheet {
  const ws = sheetJs().utils.aoa_to_sheet(rows.map((r) => r.map(text)));
  const columns = widths ?? (rows[0] ?? []).map((h) => Math.max(10, String(h ?? '').length * 2 + 2));
  ws['!cols'] = columns.map((wch) => ({ wch }));
  return ws;
}

function book(sheets: [string, XLSX.WorkSheet][]): Buffer {
  const wb = sheetJs().utils.book_new();
  for (const [name, ws] of sheets) sheetJs().utils.book_append_sheet(wb, ws, name);
  return sheetJs().write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

const direction = (d: string): string => DIRECTION[d] ?? d;

function summarySheet(runs: readonly RunView[]): XLSX.WorkSheet {
  const header = [
    '城市代码', '测算编号', '政策版本', '起始日期', '统筹切换日期', '定档评估年度', '单位数',
    '上调单位数', '上调幅度（最小）', '上调幅度（最大）', '上调最长年数',
    '下调单位数', '下调幅度（最小）', '下调幅度（最大）', '下调最长年数',
    '不变单位数', '新参保单位数', '收入波动超限年度', '过渡待遇项数', '未能测算',
  ];
  const rows = runs.map((r) => {
    const { up, down } = r.movements;
    return [
      r.cityCode, r.runId, r.policyVersion, r.effectiveFrom, r.switchOver, r.assessedYear, r.employers,
      up.count, magnitude(up.smallestChange ?? ''), magnitude(up.largestChange ?? ''), up.longestYears,
      down.count, magnitude(down.smallestChange ?? ''), magnitude(down.largestChange ?? ''), down.longestYears,
      r.movements.stay, r.movements.new, r.flaggedYears.map((y) => `第${y + 1}年`).join('、'), r.benefits,
      r.reasons.map((x) => `${x.subject}: ${x.code}`).join('；'),
    ];
  });
  return sheet([header, ...rows]);
}

function pathSheet(paths: readonly EmployerPathView[]): XLSX.WorkSheet {
  const years = Math.max(0, ...paths.map((p) => p.steps.length));
  const header = [
    '测算编号', '城市代码', '单位编码', '单位名称', '风险类别', '原费率', '原费率所属期', '原费率来源', '浮动档次', '定档依据',
    '基准费率', '目标费率', '起点费率', '起点依据', '方向', '过渡年数', '到达目标日期', '近12个月缴费工资（元）', '原费率年缴费（元）',
    ...Array.from({ length: years }, (_, k) => `第${k + 1}年费率`),
  ];
  const rows = paths.map((p) => [
    p.runId, p.cityCode, p.employerKey, p.name, p.riskClass, p.legacyRate, p.legacyPeriod, RATE_SOURCE[p.legacyRateSource ?? ''] ?? '',
    p.band, BAND_BASIS[p.bandBasis] ?? p.bandBasis, p.baseRate, p.targetRate, p.startRate, START_BASIS[p.startBasis] ?? p.startBasis,
    direction(p.direction), p.moves, p.reachesTargetOn, yuan(p.payrollBaseFen), yuan(p.legacyIncomeFen),
    ...p.steps.map((s) => s.rate),
  ]);
  return sheet([header, ...rows]);
}

function incomeSheet(years: readonly IncomeYearView[]): XLSX.WorkSheet {
  const header = ['测算编号', '城市代码', '年度', '起始日期', '原费率收入（元）', '预计收入（元）', '上年收入（元）', '变动方向', '变动幅度', '是否超限', '波动上限'];
  const rows = years.map((y) => {
    const change = y.change === null ? y.changeText : magnitude(y.change);
    const dir = y.projectedFen > y.previousFen ? '增加' : y.projectedFen < y.previousFen ? '减少' : '持平';
    return [y.runId, y.cityCode, `第${y.yearIndex + 1}年`, y.from, yuan(y.legacyFen), yuan(y.projectedFen), yuan(y.previousFen), dir, change, y.flagged, y.maxIncomeSwing];
  });
  return sheet([header, ...rows]);
}

function employerYearSheet(paths: readonly EmployerPathView[]): XLSX.WorkSheet {
  const header = ['测算编号', '城市代码', '单位编码', '单位名称', '年度', '生效日期', '费率', '预计缴费（元）', '原费率缴费（元）'];
  const rows = paths.flatMap((p) =>
    p.steps.map((s) => [p.runId, p.cityCode, p.employerKey, p.name, `第${s.step + 1}年`, s.effective, s.rate, yuan(s.projectedFen), yuan(p.legacyIncomeFen)]),
  );
  return sheet([header, ...rows]);
}

const stepRows = (p: EmployerPathView): Cell[][] =>
  p.steps.map((s) => {
    const dir = s.change.startsWith('-') ? '下调' : /^[0.]+$/.test(s.change) ? '不变' : '上调';
    return [s.step + 1, s.effective, s.fromRate, s.rate, dir, magnitude(s.change), s.atTarget, yuan(s.projectedFen)];
  });

/** 费率过渡方案: per city summary and every employer's yearly path. */
export function planWorkbook(runs: readonly RunView[], paths: readonly EmployerPathView[]): Buffer {
  return book([
    ['汇总', summarySheet(runs)],
    ['单位费率路径', pathSheet(paths)],
  ]);
}

/** 基金收入影响: per city-year income under the paths against the legacy rates, and per employer. */
export function impactWorkbook(runs: readonly RunView[], years: readonly IncomeYearView[], paths: readonly EmployerPathView[]): Buffer {
  return book([
    ['汇总', summarySheet(runs)],
    ['收入影响', incomeSheet(years)],
    ['单位年度缴费', employerYearSheet(paths)],
  ]);
}

/** One employer: what its rate and path were computed from, each step, and the rows its legacy rate came from. */
export function employerWorkbook(e: EmployerDetailView): Buffer {
  const inputs = e.bandInputs;
  const facts: Cell[][] = [
    ['项目', '内容'],
    ['单位编码', e.employerKey],
    ['单位名称', e.name],
    ['城市代码', e.cityCode],
    ['测算编号', e.runId],
    ['政策版本', e.policyVersion],
    ['风险类别', e.riskClass],
    ['原费率', e.legacyRate],
    ['原费率所属期', e.legacyPeriod],
    ['原费率来源', RATE_SOURCE[e.legacyRateSource ?? ''] ?? ''],
    ['定档评估年度', inputs.assessedYear as Cell],
    ['评估年度前缴费月数', inputs.contributionMonths as Cell],
    ['评估年度实缴（元）', inputs.contributionsPaidFen === undefined ? '' : yuan(BigInt(inputs.contributionsPaidFen as string))],
    ['评估年度基金支付待遇（元）', inputs.benefitsPaidFen === undefined ? '' : yuan(BigInt(inputs.benefitsPaidFen as string))],
    ['费用支出比', inputs.ratio as Cell],
    ['评估年度新发工伤', inputs.newInjuries as Cell],
    ['浮动档次', e.band],
    ['定档依据', BAND_BASIS[e.bandBasis] ?? e.bandBasis],
    ['基准费率', e.baseRate],
    ['目标费率', e.targetRate],
    ['起点费率', e.startRate],
    ['起点依据', START_BASIS[e.startBasis] ?? e.startBasis],
    ['每年最大调整幅度', e.maxStep],
    ['方向', direction(e.direction)],
    ['过渡年数', e.moves],
    ['到达目标日期', e.reachesTargetOn],
    ['近12个月缴费工资（元）', yuan(e.payrollBaseFen)],
    ['缴费工资所属期', e.payrollPeriods.join('、')],
  ];
  const sources: Cell[][] = [
    ['缴费记录ID', '自然键', '所属期', '费率', '应缴金额（元）', '缴费工资（元）', '来源文件', '行号'],
    ...e.legacyRows.map((l) => [l.id, l.naturalKey, l.period, l.rate, yuan(BigInt(l.dueFen)), l.payrollFen === null ? '' : yuan(BigInt(l.payrollFen)), l.sourcePath, l.rowNo]),
  ];
  return book([
    ['单位', sheet(facts, [24, 60])],
    ['年度路径', sheet([['年度', '生效日期', '调整前费率', '调整后费率', '方向', '调整幅度', '是否到达目标', '预计缴费（元）'], ...stepRows(e)])],
    ['原费率来源', sheet(sources)],
  ]);
}

/** The standard's basis in words: 平均工资 × 比例, and the implied wage where there is one. */
export function standardBasisText(basis: Record<string, unknown>): string {
  const wage = basis.averageWageFen === undefined ? '' : `全省平均工资${yuan(BigInt(basis.averageWageFen as string))}元`;
  const parts = [wage, `比例${String(basis.share)}`];
  if (basis.disabilityGrade) parts.push(`伤残${String(basis.disabilityGrade)}级`);
  if (basis.nursingLevel) parts.push(`护理${String(basis.nursingLevel)}级`);
  // the implied wage is fen to two places: yuan to two places, rounded half up
  const yuanOf = (fenText: unknown): string => formatDecimal(div(parseDecimal(String(fenText)), ratio(100n)), 2);
  if (basis.impliedWageFen) parts.push(`推算本人工资${yuanOf(basis.impliedWageFen)}元，计发工资${yuanOf(basis.wageFen)}元`);
  return parts.filter(Boolean).join('，');
}

/** 待遇过渡: every monthly benefit's schedule, one row per dated adjustment. */
export function benefitWorkbook(benefits: readonly BenefitView[]): Buffer {
  const header = [
    '测算编号', '城市代码', '认定书编号', '待遇类别', '处理方式', '原待遇（元/月）', '省标准（元/月）', '过渡步数', '每步金额（元）',
    '步骤', '生效日期', '调整前（元/月）', '调整后（元/月）', '增加（元/月）', '标准依据', '原待遇所属期',
  ];
  const rows = benefits.flatMap((b) =>
    b.schedule.map((s) => [
      b.runId, b.cityCode, b.caseNo, BENEFIT_KIND[b.kind] ?? b.kind, TREATMENT[b.treatment] ?? b.treatment, yuan(b.legacyFen), yuan(b.standardFen), b.steps, yuan(b.stepFen),
      s.step, s.effective, yuan(s.previousFen), yuan(s.amountFen), yuan(s.raiseFen), standardBasisText(b.standardBasis), b.legacyPayment.period as Cell,
    ]),
  );
  return book([['待遇过渡', sheet([header, ...rows])]]);
}

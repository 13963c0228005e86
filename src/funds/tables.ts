/**
 * The fund step's results as tables for the finance bureau: Chinese headers, amounts in yuan as
 * exact text from fen (no binary floating point between the database and the reader). One
 * definition serves the terminal (the columns marked for it) and the workbook (every column).
 */
import { fenToYuanString } from '../domain/decimal';
import type { FundYear, InstallmentState, SourcedFlow } from '../domain/funds';
import type { StoredRun } from './coverage';
import type { StoredPlan } from './plans';
import type { InstallmentStatusRow } from './receipts';

export type Cell = string | number;

interface Column<T> {
  header: string;
  value: (row: T) => Cell;
  /** shown in the terminal too (the workbook has every column) */
  terminal?: boolean;
}

export interface FundTable {
  /** the sheet name */
  title: string;
  headers: string[];
  rows: Cell[][];
  /** indexes of the columns the terminal shows */
  terminalColumns: number[];
}

const yuan = (fen: bigint): string => fenToYuanString(fen);

function table<T>(title: string, columns: Column<T>[], items: readonly T[]): FundTable {
  return {
    title,
    headers: columns.map((c) => c.header),
    rows: items.map((item) => columns.map((c) => c.value(item))),
    terminalColumns: columns.flatMap((c, i) => (c.terminal ? [i] : [])),
  };
}

export const PLAN_STATUS_LABELS: Record<StoredPlan['status'], string> = {
  computed: '已计算',
  awaiting_approval: '待审批',
  approved: '已审批',
  published: '已发布',
};

export const INSTALLMENT_STATE_LABELS: Record<InstallmentState, string> = {
  pending: '未到期',
  partial: '部分缴纳',
  paid: '已缴清',
  overpaid: '多缴待处理',
  overdue: '逾期',
};

const BASIS_LABELS: Record<string, string> = { final_accounts: '决算', budget: '预算' };
const basisLabel = (basis: string): string => BASIS_LABELS[basis] ?? basis;

export function planTables(plans: readonly StoredPlan[]): FundTable[] {
  const summary = table<StoredPlan>(
    '上解计划',
    [
      { header: '计划编号', value: (p) => p.planId, terminal: true },
      { header: '地区代码', value: (p) => p.cityCode, terminal: true },
      { header: '计划版本', value: (p) => p.planVersion, terminal: true },
      { header: '政策版本', value: (p) => p.policyVersion },
      { header: '数据口径', value: (p) => basisLabel(p.basis) },
      { header: '原结余基金(元)', value: (p) => yuan(p.surplusFen), terminal: true },
      { header: '其中:储备金(元)', value: (p) => yuan(p.ofWhichReserveFen) },
      { header: '其中:市级调剂金(元)', value: (p) => yuan(p.ofWhichCityAdjustmentFundFen) },
      { header: '上解合计(元)', value: (p) => yuan(p.remittedFen), terminal: true },
      { header: '留存(元)', value: (p) => yuan(p.retainedFen), terminal: true },
      { header: '分期数', value: (p) => p.installments.length, terminal: true },
      { header: '状态', value: (p) => PLAN_STATUS_LABELS[p.status], terminal: true },
      { header: '审批人', value: (p) => p.approvedBy ?? '' },
      { header: '审批时间', value: (p) => p.approvedAt ?? '' },
      { header: '计算时间', value: (p) => p.computedAt },
    ],
    plans,
  );
  const installments = table<StoredPlan['installments'][number]>(
    '分期明细',
    [
      { header: '计划编号', value: (i) => i.planId, terminal: true },
      { header: '地区代码', value: (i) => i.cityCode },
      { header: '期次', value: (i) => i.number, terminal: true },
      { header: '结余时段', value: (i) => i.bucketId, terminal: true },
      { header: '时段内期次', value: (i) => `${i.bucketInstallmentNumber}/${i.bucketInstallments}`, terminal: true },
      { header: '到期日', value: (i) => i.dueDate, terminal: true },
      { header: '应上解金额(元)', value: (i) => yuan(i.amountFen), terminal: true },
      { header: '时段结余(元)', value: (i) => yuan(i.bucketAmountFen) },
      { header: '上解比例', value: (i) => i.share, terminal: true },
      { header: '时段上解合计(元)', value: (i) => yuan(i.bucketTotalFen) },
      { header: '政策版本', value: (i) => i.policyVersion },
      { header: '计算时间', value: (i) => i.computedAt },
    ],
    plans.flatMap((p) => p.installments),
  );
  return [summary, installments];
}

export function coverageTables(run: StoredRun): FundTable[] {
  const rows = table<StoredRun['rows'][number]>(
    '缺口弥补',
    [
      { header: '年度', value: (r) => r.year, terminal: true },
      { header: '地区代码', value: (r) => r.cityCode, terminal: true },
      { header: '数据口径', value: (r) => basisLabel(r.basis) },
      { header: '保险费收入(元)', value: (r) => yuan(r.contributionIncomeFen), terminal: true },
      { header: '其他收入(元)', value: (r) => yuan(r.otherIncomeFen) },
      { header: '基金支出(元)', value: (r) => yuan(r.expenditureFen), terminal: true },
      { header: '上解比例', value: (r) => r.ratio },
      { header: '比例来源', value: (r) => (r.ratioSource === 'city' ? '本市' : '全省') },
      { header: '上解调剂金(元)', value: (r) => yuan(r.remittanceFen), terminal: true },
      { header: '当年收支结余(元)', value: (r) => yuan(r.balanceFen), terminal: true },
      { header: '年初累计结余(元)', value: (r) => yuan(r.surplusOpeningFen) },
      { header: '转入累计结余(元)', value: (r) => yuan(r.addedToSurplusFen) },
      { header: '缺口(元)', value: (r) => yuan(r.gapFen) },
      { header: '动用累计结余(元)', value: (r) => yuan(r.fromOwnSurplusFen), terminal: true },
      { header: '调剂金拨付(元)', value: (r) => yuan(r.fromAdjustmentFundFen), terminal: true },
      { header: '分担缺口(元)', value: (r) => yuan(r.sharedGapFen) },
      { header: '省级分担比例', value: (r) => r.gapShareProvince },
      { header: '省级分担(元)', value: (r) => yuan(r.sharedGapProvinceFen), terminal: true },
      { header: '市级分担(元)', value: (r) => yuan(r.sharedGapCityFen), terminal: true },
      { header: '年末累计结余(元)', value: (r) => yuan(r.surplusClosingFen), terminal: true },
      { header: '政策版本', value: (r) => r.policyVersion },
    ],
    run.rows,
  );
  const ledger = table<FundYear>(
    '调剂金台账',
    [
      { header: '年度', value: (y) => y.year, terminal: true },
      { header: '年初余额(元)', value: (y) => yuan(y.openingFen), terminal: true },
      { header: '当年上解(元)', value: (y) => yuan(y.remittancesFen), terminal: true },
      { header: '可用(元)', value: (y) => yuan(y.availableFen), terminal: true },
      { header: '缺口申请(元)', value: (y) => yuan(y.claimsFen), terminal: true },
      { header: '拨付(元)', value: (y) => yuan(y.disbursedFen), terminal: true },
      { header: '按比例分配', value: (y) => (y.proRata ? '是' : '否'), terminal: true },
      { header: '年末余额(元)', value: (y) => yuan(y.closingFen), terminal: true },
    ],
    run.fund,
  );
  return [rows, ledger];
}

/** Yearly flows under the unified model: every city's income and expenditure run through the province. */
export function flowTables(flows: readonly SourcedFlow[]): FundTable[] {
  return [
    table<SourcedFlow>(
      '年度收支',
      [
        { header: '年度', value: (f) => f.year, terminal: true },
        { header: '地区代码', value: (f) => f.cityCode, terminal: true },
        { header: '数据口径', value: (f) => basisLabel(f.basis), terminal: true },
        { header: '保险费收入(元)', value: (f) => yuan(f.contributionIncomeFen), terminal: true },
        { header: '其他收入(元)', value: (f) => yuan(f.otherIncomeFen), terminal: true },
        { header: '基金支出(元)', value: (f) => yuan(f.expenditureFen), terminal: true },
        { header: '当年收支结余(元)', value: (f) => yuan(f.contributionIncomeFen + f.otherIncomeFen - f.expenditureFen), terminal: true },
      ],
      flows,
    ),
  ];
}

export function statusTables(rows: readonly InstallmentStatusRow[]): FundTable[] {
  return [
    table<InstallmentStatusRow>(
      '缴拨状态',
      [
        { header: '计划编号', value: (s) => s.planId, terminal: true },
        { header: '地区代码', value: (s) => s.cityCode },
        { header: '计划状态', value: (s) => PLAN_STATUS_LABELS[s.planStatus], terminal: true },
        { header: '期次', value: (s) => s.number, terminal: true },
        { header: '到期日', value: (s) => s.dueDate, terminal: true },
        { header: '应缴(元)', value: (s) => yuan(s.amountFen), terminal: true },
        { header: '已缴(元)', value: (s) => yuan(s.paidFen), terminal: true },
        { header: '欠缴(元)', value: (s) => yuan(s.outstandingFen), terminal: true },
        { header: '多缴(元)', value: (s) => yuan(s.overpaidFen), terminal: true },
        { header: '状态', value: (s) => INSTALLMENT_STATE_LABELS[s.state], terminal: true },
        { header: '缴清日期', value: (s) => s.paidOn ?? '' },
        { header: '逾期缴清', value: (s) => (s.paidLate ? '是' : '') },
        { header: '收款单号', value: (s) => s.receiptIds.join(', ') },
        { header: '截至日期', value: (s) => s.asOf },
      ],
      rows,
    ),
  ];
}

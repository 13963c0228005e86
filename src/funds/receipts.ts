/**
 * Finance receipts (财政专户 transfers) as stored, and the installment status they give: the
 * plan workflow records each receipt once (by its id), and `tongchou funds status` reads the
 * same rows, so both see one truth.
 */
import type { Db } from '../db/knex';
import { matchReceipts, type FundReason, type InstallmentStatus } from '../domain/funds';
import { toFinanceReceipt, type ReceiptMessage } from '../../workflows/funds-messages';
import { readPlans, type StoredPlan } from './plans';

export type ReceiptChannel = 'signal' | 'update' | 'cli';

/** Stores a receipt once; a second delivery of the id changes nothing. */
export async function storeReceipt(db: Db, msg: ReceiptMessage, channel: ReceiptChannel): Promise<{ stored: boolean }> {
  const rows = (await db('province.fund_receipt')
    .insert({
      receipt_id: msg.receiptId,
      plan_id: msg.planId,
      installment_number: msg.installmentNumber,
      amount_fen: msg.amountFen,
      received_on: msg.receivedOn,
      channel,
    })
    .onConflict('receipt_id')
    .ignore()
    .returning('receipt_id')) as unknown[];
  return { stored: rows.length > 0 };
}

export async function readReceipts(db: Db, planIds: readonly string[]): Promise<ReceiptMessage[]> {
  if (planIds.length === 0) return [];
  const rows = (await db('province.fund_receipt').whereIn('plan_id', planIds).orderBy([{ column: 'received_on' }, { column: 'receipt_id' }])) as {
    receipt_id: string; plan_id: string; installment_number: number; amount_fen: string; received_on: string;
  }[];
  return rows.map((r) => ({ receiptId: r.receipt_id, planId: r.plan_id, installmentNumber: r.installment_number, amountFen: r.amount_fen, receivedOn: r.received_on }));
}

export interface InstallmentStatusRow extends InstallmentStatus {
  cityCode: string;
  planVersion: number;
  planStatus: StoredPlan['status'];
}

/** The status of every installment of the current plans as of a day (China time). */
export async function readInstallmentStatuses(db: Db, opts: { asOf: string; cities?: readonly string[] }): Promise<{ rows: InstallmentStatusRow[]; reasons: FundReason[] }> {
  const plans = await readPlans(db, { current: true, cities: opts.cities });
  const receipts = (await readReceipts(db, plans.map((p) => p.planId))).map(toFinanceReceipt);
  const { statuses, reasons } = matchReceipts(plans.flatMap((p) => p.installments), receipts, opts.asOf);
  const planOf = new Map(plans.map((p) => [p.planId, p]));
  const rows = statuses.map((s) => {
    const plan = planOf.get(s.planId)!;
    return { ...s, cityCode: plan.cityCode, planVersion: plan.planVersion, planStatus: plan.status };
  });
  return { rows, reasons };
}

/**
 * 财政 (finance bureau, keeper of the special fiscal account 社会保障基金财政专户):
 * - out `remittance_instruction`: each published remittance plan with its installments, and
 *   `remittance_alert`: installments overdue or overpaid — both enqueued by the plan workflow;
 * - out `fund_statement`: a statement per closed month — installments due, receipts, what is open;
 * - in `transfer_receipt`: transfers into the special account, handed to the funds side
 *   (`province.fund_receipt`, or the plan workflow when the feed names one).
 */
import { z } from 'zod';
import type { Db } from '../../db/knex';
import { installmentStatus, type FinanceReceipt } from '../../domain/funds/receipts';
import { monthRange } from '../calendar';
import { count, fen, optionalText, text, ymd, yuan } from './fields';
import { monthlyDeliveries } from './monthly';
import type { InboundSchema, OutboundSchema } from './types';

interface InstallmentRow {
  plan_id: string;
  number: number;
  city_code: string;
  plan_version: number;
  policy_version: string;
  due_date: string;
  amount_fen: string;
}

async function publishedInstallments(db: Db, dueBy?: string): Promise<InstallmentRow[]> {
  const q = db('province.remittance_installment as i')
    .join('province.remittance_plan as p', 'p.plan_id', 'i.plan_id')
    .where('p.status', 'published')
    .orderBy([{ column: 'i.plan_id' }, { column: 'i.number' }])
    .select('i.plan_id', 'i.number', 'i.city_code', 'i.plan_version', 'i.policy_version', db.raw(`to_char(i.due_date, 'YYYY-MM-DD') as due_date`), 'i.amount_fen');
  if (dueBy) void q.where('i.due_date', '<=', dueBy);
  return (await q) as InstallmentRow[];
}

async function receiptsUpTo(db: Db, day: string): Promise<FinanceReceipt[]> {
  const rows = (await db('province.fund_receipt')
    .where('received_on', '<=', day)
    .select('receipt_id', 'plan_id', 'installment_number', 'amount_fen', db.raw(`to_char(received_on, 'YYYY-MM-DD') as received_on`))) as {
    receipt_id: string;
    plan_id: string;
    installment_number: number;
    amount_fen: string;
    received_on: string;
  }[];
  return rows.map((r) => ({ receiptId: r.receipt_id, planId: r.plan_id, installmentNumber: r.installment_number, amountFen: BigInt(r.amount_fen), receivedOn: r.received_on }));
}

/**
 * Remittance instructions and installment alerts are written to the outbox by the plan workflow
 * itself, in the transaction that publishes the plan or flags the installment (see src/funds):
 * these feeds only deliver them, they owe nothing of their own.
 */
export const remittanceInstruction: OutboundSchema = { due: () => Promise.resolve({ deliveries: [] }) };
export const remittanceAlert: OutboundSchema = remittanceInstruction;

/** The statement of one month: per installment due by its end, what was paid and what is open. */
async function fundStatementFor(db: Db, month: string): Promise<Record<string, unknown>> {
  const { from, to } = monthRange(month);
  const [installments, receipts] = await Promise.all([publishedInstallments(db, to), receiptsUpTo(db, to)]);
  const lines = installments.map((i) => {
    const s = installmentStatus({ planId: i.plan_id, number: i.number, dueDate: i.due_date, amountFen: BigInt(i.amount_fen) }, receipts, to);
    return { plan_id: i.plan_id, installment_number: i.number, city_code: i.city_code, due_date: i.due_date, amount_fen: i.amount_fen, paid_fen: String(s.paidFen), outstanding_fen: String(s.outstandingFen), overpaid_fen: String(s.overpaidFen), state: s.state };
  });
  const inMonth = receipts.filter((r) => r.receivedOn >= from);
  const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
  return {
    period: { from, to },
    installments: lines,
    receipts_in_month: inMonth.map((r) => ({ receipt_id: r.receiptId, plan_id: r.planId, installment_number: r.installmentNumber, amount_fen: String(r.amountFen), received_on: r.receivedOn })),
    totals: {
      due_in_month_fen: String(sum(installments.filter((i) => i.due_date >= from).map((i) => BigInt(i.amount_fen)))),
      received_in_month_fen: String(sum(inMonth.map((r) => r.amountFen))),
      outstanding_fen: String(sum(lines.map((l) => BigInt(l.outstanding_fen)))),
      overdue_installments: lines.filter((l) => l.state === 'overdue').length,
    },
  };
}

export const fundStatement: OutboundSchema = {
  due(ctx) {
    if (ctx.feed.schema !== 'fund_statement') throw new Error(`feed ${ctx.feed.id} is not a fund statement feed`);
    return monthlyDeliveries(ctx, ctx.feed.options.first_month, (month) => fundStatementFor(ctx.db, month));
  },
};

const ReceiptSchema = z
  .object({
    receipt_id: text,
    plan_id: text,
    installment_number: count,
    /** 元 as the bank statement shows it, or fen */
    amount: yuan.optional(),
    amount_fen: fen.optional(),
    received_on: ymd,
    updated_at: optionalText,
  })
  .refine((r) => (r.amount === undefined) !== (r.amount_fen === undefined), { message: 'give exactly one of amount (元) or amount_fen' })
  .transform((r) => ({ receiptId: r.receipt_id, planId: r.plan_id, installmentNumber: r.installment_number, amountFen: (r.amount ?? r.amount_fen)!, receivedOn: r.received_on }));
export type TransferReceipt = z.output<typeof ReceiptSchema>;

/** The receipts table row, written once per receipt id (fund results are never edited). */
export const fundReceiptRow = (r: TransferReceipt) => ({
  receipt_id: r.receiptId,
  plan_id: r.planId,
  installment_number: r.installmentNumber,
  amount_fen: String(r.amountFen),
  received_on: r.receivedOn,
  channel: 'feed',
});

export const transferReceipt: InboundSchema<TransferReceipt> = {
  record: ReceiptSchema,
  idField: 'receipt_id',
  async store(trx, records, { feed }) {
    if (feed.schema !== 'transfer_receipt') throw new Error(`feed ${feed.id} is not a receipts feed`);
    // a changed copy of a known receipt is a conflict for a person, never an edit of the money
    const revised = records.filter((r) => r.revision > 1).length;
    // with a plan workflow to hand to, the handoff step writes after the workflow took the receipt
    if (feed.options.handoff_workflow_id) return { conflicting_receipts: revised };
    const fresh = records.filter((r) => r.revision === 1);
    if (fresh.length) {
      await trx('province.fund_receipt').insert(fresh.map((r) => fundReceiptRow(r.record))).onConflict('receipt_id').ignore();
      await trx('pipeline.feed_inbound').whereIn('id', fresh.map((r) => r.inboundId)).update({ handed_off_at: trx.fn.now() });
    }
    return { conflicting_receipts: revised };
  },
};

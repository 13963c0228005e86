/**
 * What travels between the remittance plan workflow, its activities and its clients: fen as
 * decimal strings (payloads are JSON), dates as 'YYYY-MM-DD'. Pure, so workflow code can use it.
 */
import { type FinanceReceipt, type InstallmentState, type InstallmentStatus } from '../src/domain/funds/receipts';
import { isYmd } from '../src/domain/funds/due-dates';

/** A finance-bureau receipt (财政专户 transfer) as delivered to the plan. */
export interface ReceiptMessage {
  receiptId: string;
  planId: string;
  installmentNumber: number;
  /** integer fen as a decimal string */
  amountFen: string;
  receivedOn: string;
}

export interface ApprovalRecord {
  approver: string;
  role: string;
  note?: string;
  /** ISO instant */
  approvedAt: string;
}

export interface InstallmentTerms {
  number: number;
  dueDate: string;
  amountFen: string;
}

/** One installment's status, for queries and update results. */
export interface InstallmentView {
  number: number;
  dueDate: string;
  amountFen: string;
  state: InstallmentState;
  paidFen: string;
  outstandingFen: string;
  overpaidFen: string;
  receiptIds: string[];
  paidOn?: string;
  paidLate: boolean;
}

const FEN_RE = /^[1-9]\d{0,17}$/;

const sameReceipt = (a: ReceiptMessage, b: ReceiptMessage): boolean =>
  a.planId === b.planId && a.installmentNumber === b.installmentNumber && a.amountFen === b.amountFen && a.receivedOn === b.receivedOn;

/**
 * Why a receipt cannot be taken for this plan, or null. A receipt id already known with the same
 * contents is fine (a repeated delivery, counted once); with other contents it is refused.
 */
export function receiptRefusal(msg: ReceiptMessage, planId: string, numbers: ReadonlySet<number>, known: ReadonlyMap<string, ReceiptMessage>): string | null {
  if (typeof msg.receiptId !== 'string' || msg.receiptId.trim() === '') return 'a receipt needs its finance receipt id';
  if (msg.planId !== planId) return `receipt ${msg.receiptId} is for plan ${msg.planId}, not ${planId}`;
  if (!numbers.has(msg.installmentNumber)) return `plan ${planId} has no installment ${msg.installmentNumber}`;
  if (typeof msg.amountFen !== 'string' || !FEN_RE.test(msg.amountFen)) return `amount must be a positive integer number of fen: ${JSON.stringify(msg.amountFen)}`;
  if (typeof msg.receivedOn !== 'string' || !isYmd(msg.receivedOn)) return `received on must be a YYYY-MM-DD date: ${JSON.stringify(msg.receivedOn)}`;
  const earlier = known.get(msg.receiptId);
  if (earlier && !sameReceipt(earlier, msg)) return `receipt ${msg.receiptId} was delivered before with other contents`;
  return null;
}

export const toFinanceReceipt = (m: ReceiptMessage): FinanceReceipt => ({
  receiptId: m.receiptId,
  planId: m.planId,
  installmentNumber: m.installmentNumber,
  amountFen: BigInt(m.amountFen),
  receivedOn: m.receivedOn,
});

export function installmentView(s: InstallmentStatus): InstallmentView {
  return {
    number: s.number,
    dueDate: s.dueDate,
    amountFen: s.amountFen.toString(),
    state: s.state,
    paidFen: s.paidFen.toString(),
    outstandingFen: s.outstandingFen.toString(),
    overpaidFen: s.overpaidFen.toString(),
    receiptIds: s.receiptIds,
    ...(s.paidOn !== undefined && { paidOn: s.paidOn }),
    paidLate: s.paidLate,
  };
}

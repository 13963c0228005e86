/**
 * Finance-bureau receipts (财政专户 transfers) against remittance installments, matched by plan
 * and installment number — fund-rules.md, "Model unified". A partial payment leaves the rest
 * due; an overpayment is flagged, never absorbed into another installment; an installment past
 * its due date and not fully paid is overdue.
 */
import { type FundReason } from './issues';
import { isYmd } from './due-dates';
import { type PlanInstallment } from './installments';
import { compareBigint, compareText } from './order';

export interface FinanceReceipt {
  /** finance's id of the transfer; a receipt delivered twice is counted once */
  receiptId: string;
  planId: string;
  installmentNumber: number;
  amountFen: bigint;
  /** 'YYYY-MM-DD' */
  receivedOn: string;
}

export type InstallmentRef = Pick<PlanInstallment, 'planId' | 'number' | 'dueDate' | 'amountFen'>;

/**
 * - `pending`: nothing received, not yet due (due today is not overdue)
 * - `partial`: something received, the rest not yet due
 * - `paid`: received exactly the amount
 * - `overpaid`: received more than the amount; the excess is flagged in overpaidFen
 * - `overdue`: past the due date and not fully paid (paidFen tells whether partly)
 */
export type InstallmentState = 'pending' | 'partial' | 'paid' | 'overpaid' | 'overdue';

export interface InstallmentStatus {
  planId: string;
  number: number;
  dueDate: string;
  amountFen: bigint;
  asOf: string;
  state: InstallmentState;
  paidFen: bigint;
  /** amount − paid, never below zero: the rest still due */
  outstandingFen: bigint;
  /** paid − amount, never below zero: to be refunded or reassigned by a person, not absorbed */
  overpaidFen: bigint;
  /** the receipts counted, in the order they were received */
  receiptIds: string[];
  /** the day the receipts first covered the amount, when they have */
  paidOn?: string;
  /** fully paid, but after the due date */
  paidLate: boolean;
}

/** A receipt counts when it is well-formed: a positive amount and a real date. */
const isUsable = (r: FinanceReceipt): boolean => r.amountFen > 0n && isYmd(r.receivedOn);

const receiptOrder = (a: FinanceReceipt, b: FinanceReceipt): number =>
  compareText(a.receivedOn, b.receivedOn) || compareText(a.receiptId, b.receiptId) || compareBigint(a.amountFen, b.amountFen);

/**
 * The status of one installment as of a day, from the receipts known then: those for this
 * plan and installment number, well-formed, received on or before `asOf`, each id once (the
 * earliest delivery counts; matchReceipts flags an id delivered with different contents).
 * Receipts for other installments are ignored, so the whole feed may be passed.
 */
export function installmentStatus(installment: InstallmentRef, receipts: readonly FinanceReceipt[], asOf: string): InstallmentStatus {
  if (!isYmd(asOf)) throw new RangeError(`asOf is not a YYYY-MM-DD date: ${JSON.stringify(asOf)}`);
  const { planId, number, dueDate, amountFen } = installment;
  const counted: FinanceReceipt[] = [];
  const ids = new Set<string>();
  for (const r of receipts.filter((r) => r.planId === planId && r.installmentNumber === number && isUsable(r) && r.receivedOn <= asOf).sort(receiptOrder)) {
    if (ids.has(r.receiptId)) continue;
    ids.add(r.receiptId);
    counted.push(r);
  }

  let paidFen = 0n;
  let paidOn: string | undefined;
  for (const r of counted) {
    paidFen += r.amountFen;
    if (paidOn === undefined && amountFen > 0n && paidFen >= amountFen) paidOn = r.receivedOn;
  }
  const state: InstallmentState =
    paidFen > amountFen ? 'overpaid'
    : paidFen === amountFen ? 'paid'
    : asOf > dueDate ? 'overdue'
    : paidFen > 0n ? 'partial'
    : 'pending';
  return {
    planId,
    number,
    dueDate,
    amountFen,
    asOf,
    state,
    paidFen,
    outstandingFen: paidFen < amountFen ? amountFen - paidFen : 0n,
    overpaidFen: paidFen > amountFen ? paidFen - amountFen : 0n,
    receiptIds: counted.map((r) => r.receiptId),
    ...(paidOn !== undefined && { paidOn }),
    paidLate: paidOn !== undefined && paidOn > dueDate,
  };
}

/**
 * Statuses for a set of installments, and the receipts that could not be matched or counted:
 * malformed ones, ones naming no known installment, and one id delivered with different contents.
 */
export function matchReceipts(
  installments: readonly InstallmentRef[],
  receipts: readonly FinanceReceipt[],
  asOf: string,
): { statuses: InstallmentStatus[]; reasons: FundReason[] } {
  const key = (planId: string, n: number): string => `${planId}#${n}`;
  const known = new Set(installments.map((i) => key(i.planId, i.number)));
  const reasons: FundReason[] = [];
  const firstById = new Map<string, FinanceReceipt>();
  for (const r of receipts) {
    const { receiptId } = r;
    if (r.amountFen <= 0n) reasons.push({ code: 'fund.receipt.non_positive_amount', receiptId, detail: `amount ${r.amountFen}` });
    if (!isYmd(r.receivedOn)) reasons.push({ code: 'fund.receipt.bad_date', receiptId, detail: `received on ${JSON.stringify(r.receivedOn)}` });
    if (!known.has(key(r.planId, r.installmentNumber))) {
      reasons.push({ code: 'fund.receipt.unknown_installment', receiptId, detail: `no installment ${r.installmentNumber} in plan ${r.planId}` });
    }
    const first = firstById.get(receiptId);
    if (first === undefined) firstById.set(receiptId, r);
    else if (receiptOrder(first, r) !== 0 || first.planId !== r.planId || first.installmentNumber !== r.installmentNumber) {
      reasons.push({ code: 'fund.receipt.conflicting_duplicate', receiptId, detail: 'one receipt id delivered with different contents' });
    }
  }
  return { statuses: installments.map((i) => installmentStatus(i, receipts, asOf)), reasons };
}

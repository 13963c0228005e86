/**
 * remittancePlan: one city's remittance plan version (上解计划, unified model) from computed to
 * paid. computed → awaiting approval (an Update from a user the policy names, in the fund
 * approver role) → published to the finance feed (an outbox row) → tracking: a durable timer
 * for each due date, finance receipts by Signal or Update matched to installments, overdue and
 * overpaid installments flagged. Plans run for years, so the workflow continues as new with its
 * state when the history grows long, after its handlers have finished.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PlanForWorkflow } from '../activities/funds/load-remittance-plan';
import { approvalRefusal, type ApprovalRequest } from '../src/domain/funds/approval';
import { installmentStatus, type InstallmentStatus } from '../src/domain/funds/receipts';
import { chinaDate, overdueAt } from './funds-clock';
import { installmentView, receiptRefusal, toFinanceReceipt, type ApprovalRecord, type InstallmentView, type ReceiptMessage } from './funds-messages';

export type PlanPhase = 'loading' | 'awaiting_approval' | 'approved' | 'published' | 'settled' | 'withdrawn';

/** What a run hands to the next when it continues as new. */
export interface CarriedPlanState {
  approval?: ApprovalRecord;
  published: boolean;
  receipts: ReceiptMessage[];
  /** receipts by signal that could not be taken, with why */
  refused: { receipt: ReceiptMessage; reason: string }[];
  /** `number:state` of the installments already flagged to finance */
  flagged: string[];
}

export interface RemittancePlanInput {
  planId: string;
  carried?: CarriedPlanState;
  /** continue as new past this many history events (default: when Temporal suggests it) */
  historyLimit?: number;
}

export interface PlanStatusView {
  planId: string;
  cityCode: string;
  planVersion: number;
  phase: PlanPhase;
  asOf: string;
  approval?: ApprovalRecord;
  installments: InstallmentView[];
  refused: { receipt: ReceiptMessage; reason: string }[];
}

export interface ReceiptOutcome {
  /** true when this receipt id had been delivered before (it counts once) */
  duplicate: boolean;
  installment: InstallmentView;
}

export const approvePlanUpdate = defineUpdate<ApprovalRecord, [ApprovalRequest]>('approve');
export const recordReceiptUpdate = defineUpdate<ReceiptOutcome, [ReceiptMessage]>('recordReceipt');
export const receiptSignal = defineSignal<[ReceiptMessage]>('receipt');
/** A newer plan version replaced this one before it was approved: stop waiting for an approval. */
export const withdrawPlanSignal = defineSignal<[{ reason: string }]>('withdraw');
export const planStatusQuery = defineQuery<PlanStatusView>('status');

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['PlanNotFound', 'PlanSuperseded'] },
});

const SETTLED = new Set(['paid', 'overpaid']);

export async function remittancePlan(input: RemittancePlanInput): Promise<PlanStatusView> {
  const { planId } = input;
  const carried: CarriedPlanState = input.carried ?? { published: false, receipts: [], refused: [], flagged: [] };
  // handlers are set before the plan is loaded (a message may come first): they wait for it
  let plan: PlanForWorkflow | undefined = undefined;
  let phase: PlanPhase = 'loading';
  let approval = carried.approval;
  let approving = false;
  let withdrawn: string | undefined;
  /** set whenever a receipt is taken: the tracking loop re-evaluates */
  let changed = false;
  const receipts = new Map(carried.receipts.map((r) => [r.receiptId, r]));
  /** ids taken or being recorded: a second delivery while the first is in flight is a duplicate */
  const taking = new Set(receipts.keys());
  const refused = [...carried.refused];
  const flagged = new Set(carried.flagged);
  const numbers = (): Set<number> => new Set(plan?.installments.map((i) => i.number));

  const statuses = (asOf: string): InstallmentStatus[] => {
    const all = [...receipts.values()].map(toFinanceReceipt);
    return (plan?.installments ?? []).map((i) => installmentStatus({ planId, number: i.number, dueDate: i.dueDate, amountFen: BigInt(i.amountFen) }, all, asOf));
  };
  const view = (): PlanStatusView => ({
    planId,
    cityCode: plan?.cityCode ?? '',
    planVersion: plan?.planVersion ?? 0,
    phase,
    asOf: chinaDate(Date.now()),
    ...(approval && { approval }),
    installments: statuses(chinaDate(Date.now())).map(installmentView),
    refused,
  });

  async function takeReceipt(msg: ReceiptMessage, channel: 'signal' | 'update'): Promise<boolean> {
    if (taking.has(msg.receiptId)) return false;
    taking.add(msg.receiptId);
    try {
      await acts.recordFundReceipt({ receipt: msg, channel });
    } catch (err) {
      taking.delete(msg.receiptId);
      throw err;
    }
    receipts.set(msg.receiptId, msg);
    changed = true;
    return true;
  }

  setHandler(planStatusQuery, view);
  setHandler(withdrawPlanSignal, ({ reason }) => {
    // an approved plan is confirmed: it stays in force and keeps being tracked
    if (approval === undefined && !approving) withdrawn = reason;
  });

  setHandler(
    approvePlanUpdate,
    async (request) => {
      approving = true;
      try {
        approval = await acts.approveRemittancePlan({
          planId,
          approver: request.approver.trim(),
          role: request.role,
          approvedAt: new Date(Date.now()).toISOString(),
          ...(request.note !== undefined && { note: request.note }),
        });
        return approval;
      } finally {
        approving = false;
      }
    },
    {
      validator: (request) => {
        if (!plan) throw new Error('the plan is still loading: try again');
        if (approval) throw new Error(`plan ${planId} is already approved by ${approval.approver}`);
        if (approving) throw new Error(`plan ${planId} is being approved`);
        const refusal = approvalRefusal(request, plan.approvers);
        if (refusal) throw new Error(refusal);
      },
    },
  );

  setHandler(
    recordReceiptUpdate,
    async (msg) => {
      const duplicate = !(await takeReceipt(msg, 'update'));
      // a duplicate still being recorded by its first delivery: answer once it is in
      await condition(() => receipts.has(msg.receiptId));
      const status = statuses(chinaDate(Date.now())).find((s) => s.number === msg.installmentNumber)!;
      return { duplicate, installment: installmentView(status) };
    },
    {
      validator: (msg) => {
        if (!plan) throw new Error('the plan is still loading: try again');
        const refusal = receiptRefusal(msg, planId, numbers(), receipts);
        if (refusal) throw new Error(refusal);
      },
    },
  );

  setHandler(receiptSignal, async (msg) => {
    // a signal cannot be answered: a receipt that cannot be taken is kept with the reason for a person
    await condition(() => plan !== undefined);
    const refusal = receiptRefusal(msg, planId, numbers(), receipts);
    if (refusal) {
      if (!refused.some((r) => r.receipt.receiptId === msg.receiptId)) refused.push({ receipt: msg, reason: refusal });
      log.warn('receipt refused', { planId, receiptId: msg.receiptId, reason: refusal });
      return;
    }
    await takeReceipt(msg, 'signal');
  });

  plan = await acts.loadRemittancePlan({ planId });
  // what is stored wins over what was carried: the database is where approvals and receipts live
  approval = approval ?? plan.approval;
  for (const r of plan.receipts) {
    if (!receipts.has(r.receiptId)) {
      receipts.set(r.receiptId, r);
      taking.add(r.receiptId);
    }
  }
  let published = carried.published || plan.published;

  if (!approval) {
    if (plan.status === 'computed') await acts.markRemittancePlanAwaitingApproval({ planId });
    phase = 'awaiting_approval';
    await condition(() => (approval !== undefined && !approving) || withdrawn !== undefined);
    if (approval === undefined) {
      phase = 'withdrawn';
      log.info('remittance plan withdrawn', { planId, reason: withdrawn });
      await condition(allHandlersFinished);
      return view();
    }
  }
  phase = 'approved';
  if (!published) {
    await acts.publishRemittancePlan({ planId, publishedAt: new Date(Date.now()).toISOString() });
    published = true;
  }
  phase = 'published';

  const historyTooLong = (): boolean => workflowInfo().continueAsNewSuggested || (input.historyLimit !== undefined && workflowInfo().historyLength > input.historyLimit);

  for (;;) {
    const asOf = chinaDate(Date.now());
    const now = statuses(asOf);
    for (const s of now) {
      const key = `${s.number}:${s.state}`;
      if ((s.state === 'overdue' || s.state === 'overpaid') && !flagged.has(key)) {
        await acts.flagRemittanceInstallment({ planId, cityCode: plan.cityCode, asOf, installment: installmentView(s) });
        flagged.add(key);
      }
    }
    if (now.every((s) => SETTLED.has(s.state))) break;

    if (historyTooLong()) {
      await condition(allHandlersFinished);
      const state: CarriedPlanState = { approval, published, receipts: [...receipts.values()], refused, flagged: [...flagged] };
      return continueAsNew<typeof remittancePlan>({ ...input, carried: state });
    }

    // sleep until the next installment falls due unpaid, or until a receipt arrives
    changed = false;
    const nowMs = Date.now();
    const next = now
      .filter((s) => !SETTLED.has(s.state) && s.state !== 'overdue')
      .map((s) => overdueAt(s.dueDate))
      .filter((t) => t > nowMs)
      .reduce((a, b) => Math.min(a, b), Infinity);
    if (next === Infinity) await condition(() => changed);
    else await condition(() => changed, next - nowMs);
  }

  phase = 'settled';
  await condition(allHandlersFinished);
  return view();
}

import { ApplicationFailure } from '@temporalio/activity';
import { readPlans, type PlanStatus } from '../../src/funds/plans';
import { readReceipts } from '../../src/funds/receipts';
import type { ApprovalRecord, InstallmentTerms, ReceiptMessage } from '../../workflows/funds-messages';
import type { ActivityDeps } from '../deps';

/** What the plan workflow needs of a stored plan: its terms, who may approve it, what already happened. */
export interface PlanForWorkflow {
  planId: string;
  cityCode: string;
  planVersion: number;
  policyVersion: string;
  status: PlanStatus;
  /** user ids the plan's policy names as approvers */
  approvers: string[];
  installments: InstallmentTerms[];
  approval?: ApprovalRecord;
  published: boolean;
  /** receipts already stored, so a restarted workflow starts from what finance has paid */
  receipts: ReceiptMessage[];
}

export function createLoadRemittancePlan({ db }: ActivityDeps) {
  return async function loadRemittancePlan(input: { planId: string }): Promise<PlanForWorkflow> {
    const [plan] = await readPlans(db, { planIds: [input.planId] });
    if (!plan) throw ApplicationFailure.nonRetryable(`no remittance plan ${input.planId}`, 'PlanNotFound');
    const policy = (await db('province.fund_policy_version').where({ version: plan.policyVersion }).first('document')) as { document: { approvers?: string[] } };
    return {
      planId: plan.planId,
      cityCode: plan.cityCode,
      planVersion: plan.planVersion,
      policyVersion: plan.policyVersion,
      status: plan.status,
      approvers: policy.document.approvers ?? [],
      installments: plan.installments.map((i) => ({ number: i.number, dueDate: i.dueDate, amountFen: i.amountFen.toString() })),
      ...(plan.approvedBy !== null &&
        plan.approvedAt !== null && {
          approval: { approver: plan.approvedBy, role: plan.approverRole ?? '', approvedAt: plan.approvedAt, ...(plan.approvalNote !== null && { note: plan.approvalNote }) },
        }),
      published: plan.status === 'published',
      receipts: await readReceipts(db, [plan.planId]),
    };
  };
}

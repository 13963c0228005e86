/**
 * The client side of the remittance plan workflows: one per plan version, started once (its id is
 * the plan's), approved and fed receipts by Update, and withdrawn when a newer version replaces
 * it before approval.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { TASK_QUEUES } from '../config';
import type { Db } from '../db/knex';
import type { ApprovalRequest } from '../domain/funds';
import type { ApprovalRecord, ReceiptMessage } from '../../workflows/funds-messages';
import {
  approvePlanUpdate,
  planStatusQuery,
  recordReceiptUpdate,
  remittancePlan,
  withdrawPlanSignal,
  type PlanStatusView,
  type ReceiptOutcome,
} from '../../workflows/remittance-plan';

export const remittancePlanWorkflowId = (planId: string): string => `remittance-plan/${planId}`;

/** Starts the workflow of each plan that has none yet; a running or finished one is left alone. */
export async function startRemittancePlans(client: Client, planIds: readonly string[], taskQueue: string = TASK_QUEUES.main): Promise<void> {
  for (const planId of planIds) {
    try {
      await client.workflow.start(remittancePlan, {
        workflowId: remittancePlanWorkflowId(planId),
        taskQueue,
        args: [{ planId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        // a plan that settled or was withdrawn is finished; only a failed run may be started again
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
}

/** Withdraws the unapproved plans of `cityCode` older than `planVersion` (their workflows stop waiting). */
export async function withdrawOlderPlans(client: Client, db: Db, cityCode: string, planVersion: number, replacedBy: string): Promise<string[]> {
  const older = (await db('province.remittance_plan')
    .where({ city_code: cityCode })
    .andWhere('plan_version', '<', planVersion)
    .whereIn('status', ['computed', 'awaiting_approval'])
    .pluck('plan_id')) as string[];
  for (const planId of older) {
    await client.workflow
      .getHandle(remittancePlanWorkflowId(planId))
      .signal(withdrawPlanSignal, { reason: `replaced by ${replacedBy}` })
      .catch(() => undefined); // no workflow (never started, or finished): nothing waits for it
  }
  return older;
}

export const approvePlan = (client: Client, planId: string, request: ApprovalRequest): Promise<ApprovalRecord> =>
  client.workflow.getHandle(remittancePlanWorkflowId(planId)).executeUpdate(approvePlanUpdate, { args: [request] });

export const sendReceipt = (client: Client, receipt: ReceiptMessage): Promise<ReceiptOutcome> =>
  client.workflow.getHandle(remittancePlanWorkflowId(receipt.planId)).executeUpdate(recordReceiptUpdate, { args: [receipt] });

export const planStatus = (client: Client, planId: string): Promise<PlanStatusView> =>
  client.workflow.getHandle(remittancePlanWorkflowId(planId)).query(planStatusQuery);

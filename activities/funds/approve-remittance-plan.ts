import { ApplicationFailure } from '@temporalio/activity';
import type { ApprovalRecord } from '../../workflows/funds-messages';
import type { ActivityDeps } from '../deps';

export function createMarkRemittancePlanAwaitingApproval({ db }: ActivityDeps) {
  /** computed → awaiting_approval; a plan further along is left as it is. */
  return async function markRemittancePlanAwaitingApproval(input: { planId: string }): Promise<void> {
    await db('province.remittance_plan').where({ plan_id: input.planId, status: 'computed' }).update({ status: 'awaiting_approval' });
  };
}

export function createApproveRemittancePlan({ db, log }: ActivityDeps) {
  /**
   * Records the approval (approver, role, time, note). A plan a newer version has replaced is
   * refused: nobody should confirm figures that are no longer current. Repeating an approval
   * already recorded (a retried activity) returns the recorded one.
   */
  return async function approveRemittancePlan(input: { planId: string } & ApprovalRecord): Promise<ApprovalRecord> {
    return db.transaction(async (trx) => {
      const plan = (await trx('province.remittance_plan').where({ plan_id: input.planId }).forUpdate().first()) as Record<string, unknown> | undefined;
      if (!plan) throw ApplicationFailure.nonRetryable(`no remittance plan ${input.planId}`, 'PlanNotFound');
      if (plan.approved_by !== null) {
        return {
          approver: plan.approved_by as string,
          role: plan.approver_role as string,
          approvedAt: (plan.approved_at as Date).toISOString(),
          ...(plan.approval_note !== null && { note: plan.approval_note as string }),
        };
      }
      const newer = await trx('province.remittance_plan').where('city_code', plan.city_code as string).andWhere('plan_version', '>', plan.plan_version as number).first('plan_id');
      if (newer) throw ApplicationFailure.nonRetryable(`plan ${input.planId} is replaced by ${newer.plan_id as string}: approve that one`, 'PlanSuperseded');
      await trx('province.remittance_plan')
        .where({ plan_id: input.planId })
        .update({ status: 'approved', approved_by: input.approver, approver_role: input.role, approved_at: input.approvedAt, approval_note: input.note ?? null });
      log.info({ planId: input.planId, approver: input.approver }, 'remittance plan approved');
      return { approver: input.approver, role: input.role, approvedAt: input.approvedAt, ...(input.note !== undefined && { note: input.note }) };
    });
  };
}

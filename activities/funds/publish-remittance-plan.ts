import { fenToYuanString } from '../../src/domain/decimal';
import { readPlans } from '../../src/funds/plans';
import { enqueueOutbox, FINANCE_PLAN_FEED } from '../../src/funds/outbox';
import type { ActivityDeps } from '../deps';

export function createPublishRemittancePlan({ db }: ActivityDeps) {
  /**
   * Publishes an approved plan to the finance feed: the outbox message and the plan's status in
   * one transaction, once (the message's key is the plan id).
   */
  return async function publishRemittancePlan(input: { planId: string; publishedAt: string }): Promise<{ idempotencyKey: string }> {
    const [plan] = await readPlans(db, { planIds: [input.planId] });
    if (!plan) throw new Error(`no remittance plan ${input.planId}`);
    const idempotencyKey = `remittance-plan/${plan.planId}/published`;
    await db.transaction(async (trx) => {
      await enqueueOutbox(trx, FINANCE_PLAN_FEED, idempotencyKey, {
        planId: plan.planId,
        cityCode: plan.cityCode,
        planVersion: plan.planVersion,
        policyVersion: plan.policyVersion,
        approvedBy: plan.approvedBy,
        approvedAt: plan.approvedAt,
        remittedFen: plan.remittedFen.toString(),
        remittedYuan: fenToYuanString(plan.remittedFen),
        installments: plan.installments.map((i) => ({
          number: i.number,
          bucketId: i.bucketId,
          dueDate: i.dueDate,
          amountFen: i.amountFen.toString(),
          amountYuan: fenToYuanString(i.amountFen),
        })),
      });
      await trx('province.remittance_plan').where({ plan_id: plan.planId, status: 'approved' }).update({ status: 'published', published_at: input.publishedAt });
    });
    return { idempotencyKey };
  };
}

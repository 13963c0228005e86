/** The activities of the fund step: remittance plans through approval, publishing and tracking. */
import type { ActivityDeps } from '../deps';
import { createApproveRemittancePlan, createMarkRemittancePlanAwaitingApproval } from './approve-remittance-plan';
import { createFlagRemittanceInstallment } from './flag-installment';
import { createLoadRemittancePlan } from './load-remittance-plan';
import { createPublishRemittancePlan } from './publish-remittance-plan';
import { createRecordFundReceipt } from './record-fund-receipt';

export function createFundActivities(deps: ActivityDeps) {
  return {
    loadRemittancePlan: createLoadRemittancePlan(deps),
    markRemittancePlanAwaitingApproval: createMarkRemittancePlanAwaitingApproval(deps),
    approveRemittancePlan: createApproveRemittancePlan(deps),
    publishRemittancePlan: createPublishRemittancePlan(deps),
    recordFundReceipt: createRecordFundReceipt(deps),
    flagRemittanceInstallment: createFlagRemittanceInstallment(deps),
  };
}

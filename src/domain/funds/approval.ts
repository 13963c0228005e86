/**
 * Who may approve a remittance plan (上解计划审批): a user the policy names, acting in the fund
 * approver role. Pure, so the plan workflow's update validator and the tests share it.
 */

/** The role an approval must be made in. */
export const FUND_APPROVER_ROLE = 'fund_approver';

export interface ApprovalRequest {
  /** the approving user's id */
  approver: string;
  /** the role the user acts in */
  role: string;
  note?: string;
}

/** Why an approval request is refused, or null when the user may approve. */
export function approvalRefusal(request: ApprovalRequest, authorised: readonly string[]): string | null {
  const approver = typeof request.approver === 'string' ? request.approver.trim() : '';
  if (approver === '') return 'an approval needs the approver\'s user id';
  if (request.role !== FUND_APPROVER_ROLE) return `role ${JSON.stringify(request.role)} may not approve remittance plans (needs ${FUND_APPROVER_ROLE})`;
  if (authorised.length === 0) return 'the policy of this plan names no approvers';
  if (!authorised.includes(approver)) return `${approver} is not an approver named by the policy of this plan`;
  return null;
}

import { fenToYuanString } from '../../src/domain/decimal';
import { enqueueOutbox, FINANCE_ALERT_FEED } from '../../src/funds/outbox';
import type { InstallmentView } from '../../workflows/funds-messages';
import type { ActivityDeps } from '../deps';

export interface InstallmentFlag {
  planId: string;
  cityCode: string;
  asOf: string;
  installment: InstallmentView;
}

export function createFlagRemittanceInstallment({ db, log }: ActivityDeps) {
  /**
   * Flags an installment that became overdue or overpaid to the finance feed, once per
   * installment and state: an overpayment is for a person to refund or reassign, never absorbed.
   */
  return async function flagRemittanceInstallment(input: InstallmentFlag): Promise<void> {
    const { installment: i } = input;
    const key = `remittance-plan/${input.planId}/installment/${i.number}/${i.state}`;
    const written = await enqueueOutbox(db, FINANCE_ALERT_FEED, key, {
      planId: input.planId,
      cityCode: input.cityCode,
      asOf: input.asOf,
      ...i,
      amountYuan: fenToYuanString(BigInt(i.amountFen)),
      outstandingYuan: fenToYuanString(BigInt(i.outstandingFen)),
      overpaidYuan: fenToYuanString(BigInt(i.overpaidFen)),
    });
    if (written) log.warn({ planId: input.planId, installment: i.number, state: i.state }, 'remittance installment flagged');
  };
}

import { storeReceipt, type ReceiptChannel } from '../../src/funds/receipts';
import type { ReceiptMessage } from '../../workflows/funds-messages';
import type { ActivityDeps } from '../deps';

export function createRecordFundReceipt({ db }: ActivityDeps) {
  /** Stores a finance receipt once per receipt id (a retried activity or a repeated delivery writes nothing). */
  return async function recordFundReceipt(input: { receipt: ReceiptMessage; channel: ReceiptChannel }): Promise<{ stored: boolean }> {
    return storeReceipt(db, input.receipt, input.channel);
  };
}

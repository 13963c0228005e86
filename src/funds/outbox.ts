/**
 * Writing to the outbound feed outbox (pipeline.outbox) in the caller's transaction: the feeds
 * delivery loop sends the row later. The idempotency key is built from business ids, so a
 * retried activity finds its row and writes nothing.
 */
import type { Knex } from 'knex';

/** The finance bureau's feed of published remittance plans. */
export const FINANCE_PLAN_FEED = 'finance.remittance_plan';
/** Installments past due unpaid, or overpaid: flagged to finance, never settled silently. */
export const FINANCE_ALERT_FEED = 'finance.remittance_alert';

/** Enqueues a message once per key; true when this call wrote it. */
export async function enqueueOutbox(db: Knex | Knex.Transaction, feed: string, idempotencyKey: string, payload: unknown): Promise<boolean> {
  const rows = (await db('pipeline.outbox')
    .insert({ feed, idempotency_key: idempotencyKey, payload: JSON.stringify(payload) })
    .onConflict('idempotency_key')
    .ignore()
    .returning('id')) as unknown[];
  return rows.length > 0;
}

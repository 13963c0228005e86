/**
 * The outbox side of outbound feeds: deliveries are written once per idempotency key, claimed
 * for a round with a lease (so two runs of a feed never send the same row at once, and a crashed
 * worker's rows come back when the lease ends), and settled one by one: acknowledged, sent (an
 * exchange file awaiting the agency's acknowledgement), retried after a backoff, or parked.
 */
import type { Db } from '../db/knex';
import type { Delivery } from './agencies/types';
import { afterFailure, type BackoffPolicy } from './backoff';
import type { DeliveryConfig } from './config';

export interface OutboxRow {
  id: string;
  idempotency_key: string;
  payload: Record<string, unknown>;
  attempts: number;
  batch_ref: string | null;
}

export const backoffPolicy = (d: DeliveryConfig): BackoffPolicy => ({ initialMs: d.initial_backoff, factor: d.backoff_factor, maxMs: d.max_backoff, maxFailures: d.max_failures });

/** Writes deliveries once: a key already in the outbox (sent or not) is left alone. */
export async function stageDeliveries(db: Db, feedId: string, deliveries: readonly Delivery[]): Promise<{ staged: number; existing: number }> {
  let staged = 0;
  for (let i = 0; i < deliveries.length; i += 500) {
    const rows = deliveries.slice(i, i + 500).map((d) => ({ feed: feedId, idempotency_key: d.key, payload: JSON.stringify(d.payload), status: 'pending' }));
    const inserted = await db('pipeline.outbox').insert(rows).onConflict('idempotency_key').ignore().returning('id');
    staged += inserted.length;
  }
  return { staged, existing: deliveries.length - staged };
}

/**
 * Claims up to `limit` due deliveries of a feed for `leaseMs`: rows already claimed for an
 * exchange file that was not finished come first (the same file is written again), then the
 * oldest due rows. Locked rows (another run's claim in progress) are skipped.
 */
export async function claimDue(db: Db, feedId: string, limit: number, leaseMs: number): Promise<OutboxRow[]> {
  const res = await db.raw(
    `UPDATE pipeline.outbox o SET next_attempt_at = now() + make_interval(secs => ?)
       FROM (SELECT id FROM pipeline.outbox
              WHERE feed = ? AND status = 'pending' AND next_attempt_at <= now()
              ORDER BY batch_ref IS NULL, batch_ref, id
              LIMIT ? FOR UPDATE SKIP LOCKED) due
      WHERE o.id = due.id
      RETURNING o.id, o.idempotency_key, o.payload, o.attempts, o.batch_ref`,
    [leaseMs / 1000, feedId, limit],
  );
  return (res.rows as OutboxRow[]).map((r) => ({ ...r, id: String(r.id) })).sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
}

export async function markAcknowledged(db: Db, id: string, ackRef: string | null): Promise<void> {
  await db('pipeline.outbox')
    .where({ id })
    .update({ status: 'acknowledged', attempts: db.raw('attempts + 1'), acknowledged_at: db.fn.now(), delivered_at: db.raw('coalesce(delivered_at, now())'), ack_ref: ackRef, last_error: null });
}

/** Counts a failed attempt: parked after the configured number, otherwise due again after the backoff. */
export async function markFailed(db: Db, row: OutboxRow, error: string, policy: BackoffPolicy): Promise<{ parked: boolean; retryAt: Date | null }> {
  const attempts = row.attempts + 1;
  const next = afterFailure(policy, attempts);
  if (next.parked) {
    await db('pipeline.outbox').where({ id: row.id }).update({ status: 'parked', attempts, last_error: error, parked_at: db.fn.now() });
    return { parked: true, retryAt: null };
  }
  const [updated] = await db('pipeline.outbox')
    .where({ id: row.id })
    .update({ attempts, last_error: error, next_attempt_at: db.raw('now() + make_interval(secs => ?)', [next.retryInMs / 1000]) })
    .returning('next_attempt_at');
  return { parked: false, retryAt: updated.next_attempt_at as Date };
}

/** Gives claimed rows back without counting an attempt (the round stopped before trying them). */
export async function releaseClaims(db: Db, ids: readonly string[], dueAt: Date | null): Promise<void> {
  if (ids.length) await db('pipeline.outbox').whereIn('id', ids).update({ next_attempt_at: dueAt ?? db.fn.now() });
}

/** Marks rows as claimed for one exchange file, so a retried write produces the same file. */
export async function assignBatch(db: Db, ids: readonly string[], batchRef: string): Promise<void> {
  if (ids.length) await db('pipeline.outbox').whereIn('id', ids).whereNull('batch_ref').update({ batch_ref: batchRef });
}

export async function markSent(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length) {
    await db('pipeline.outbox')
      .whereIn('id', ids)
      .update({ status: 'sent', attempts: db.raw('attempts + 1'), delivered_at: db.fn.now(), last_error: null });
  }
}

/** When the next pending delivery of a feed is due (null: nothing pending). */
export async function nextDue(db: Db, feedId: string): Promise<{ pending: number; nextAttemptAt: Date | null }> {
  const row = (await db('pipeline.outbox').where({ feed: feedId, status: 'pending' }).first(db.raw('count(*)::int as pending'), db.raw('min(next_attempt_at) as next'))) as {
    pending: number;
    next: Date | null;
  };
  return { pending: row.pending, nextAttemptAt: row.next };
}

/** Parked deliveries back to pending, attempts reset: a person decided to try again. */
export async function unpark(db: Db, feedId: string, keys?: readonly string[]): Promise<number> {
  const q = db('pipeline.outbox').where({ feed: feedId, status: 'parked' });
  if (keys?.length) void q.whereIn('idempotency_key', keys);
  return q.update({ status: 'pending', attempts: 0, parked_at: null, next_attempt_at: db.fn.now() });
}

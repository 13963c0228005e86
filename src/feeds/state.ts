/**
 * Feed bookkeeping: the state of a feed (watermark and pending progress) and the record of each
 * run. A watermark is written in the same transaction as the records it covers, or after them —
 * never before — so a crash can only make a feed re-read what it already has.
 */
import type { Knex } from 'knex';
import type { Db } from '../db/knex';

export interface FeedState {
  watermark: unknown;
  pending: unknown;
  updatedAt: Date | null;
}

export async function readFeedState(q: Db | Knex.Transaction, feedId: string): Promise<FeedState> {
  const row = await q('pipeline.feed_state').where({ feed_id: feedId }).first('watermark', 'pending', 'updated_at');
  return { watermark: row?.watermark ?? null, pending: row?.pending ?? null, updatedAt: (row?.updated_at as Date | undefined) ?? null };
}

/** Sets the given fields of a feed's state (undefined fields are left as they are). */
export async function writeFeedState(q: Db | Knex.Transaction, feedId: string, patch: { watermark?: unknown; pending?: unknown }): Promise<void> {
  const values: Record<string, unknown> = { feed_id: feedId, updated_at: q.fn.now() };
  if (patch.watermark !== undefined) values.watermark = JSON.stringify(patch.watermark);
  if (patch.pending !== undefined) values.pending = JSON.stringify(patch.pending);
  const merge = Object.keys(values).filter((k) => k !== 'feed_id');
  await q('pipeline.feed_state').insert(values).onConflict('feed_id').merge(merge);
}

/** Serializes the writers of one feed within a transaction (two runs of a feed never interleave a page). */
export async function lockFeed(trx: Knex.Transaction, feedId: string): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`feed/${feedId}`]);
}

export interface RunStart {
  feedId: string;
  kind: 'feed' | 'city_sync';
  workflowId: string;
  runId: string;
  nominalTime: string;
}

/** Records the start of a run once per workflow execution (a retried activity finds its row). */
export async function startFeedRun(db: Db, run: RunStart): Promise<string> {
  const [row] = await db('pipeline.feed_run')
    .insert({ feed_id: run.feedId, kind: run.kind, workflow_id: run.workflowId, run_id: run.runId, nominal_time: run.nominalTime })
    .onConflict(['workflow_id', 'run_id'])
    .merge(['feed_id'])
    .returning('id');
  return String(row.id);
}

export async function finishFeedRun(db: Db, id: string, result: { status: 'succeeded' | 'failed'; counts?: Record<string, unknown>; error?: string }): Promise<void> {
  await db('pipeline.feed_run')
    .where({ id })
    .update({ status: result.status, finished_at: db.fn.now(), counts: JSON.stringify(result.counts ?? {}), error: result.error ?? null });
}

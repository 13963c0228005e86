/**
 * Committing one page of inbound agency records, in one transaction: each record once per agency
 * record id (a re-sent record only counts as seen again; a changed one is a new revision), the
 * new and changed valid records handed to their provincial table, and the highest cursor the
 * page brings kept as pending progress. The watermark itself moves when the whole pull is done
 * (`promoteWatermark`), so out-of-order pages can never make it skip a record.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { canonicalJson } from '../mapping/load-mapping';
import type { InboundContext, InboundSchema, StoredRecord } from './agencies/types';
import { compareCursor, cursorOf, maxCursor } from './cursor';
import { lockFeed, readFeedState, writeFeedState } from './state';

export interface InboundCounts {
  received: number;
  /** first time seen */
  accepted: number;
  /** seen before with other content: a new revision */
  revised: number;
  /** seen before with the same content: dropped */
  duplicates: number;
  /** failed the feed schema: kept with reasons, not handed on */
  invalid: number;
  /** counts the agency module reports (unmatched acknowledgements …) */
  [extra: string]: number;
}

export const emptyInboundCounts = (): InboundCounts => ({ received: 0, accepted: 0, revised: 0, duplicates: 0, invalid: 0 });

export function addCounts<T extends Record<string, number>>(into: T, more: Record<string, number>): T {
  for (const [k, v] of Object.entries(more)) (into as Record<string, number>)[k] = ((into as Record<string, number>)[k] ?? 0) + v;
  return into;
}

/** The hash of a record's canonical JSON: equal content, equal hash, whatever the key order. */
export const hashOf = (value: unknown): string => crypto.createHash('sha256').update(canonicalJson(value)).digest('hex');

/** The pending progress of a pull: the highest cursor committed so far. */
interface PendingCursor {
  cursor: string | null;
}

/** The agency record id of a raw item; an item without one is keyed by its content. */
function recordIdOf(item: unknown, idField: string): string {
  const id = cursorOf(item, idField);
  return id ?? `content:${hashOf(item)}`;
}

export async function commitInboundPage<R>(db: Db, schema: InboundSchema<R>, items: readonly unknown[], ctx: InboundContext): Promise<InboundCounts> {
  const feedId = ctx.feed.id;
  const counts = emptyInboundCounts();
  return db.transaction(async (trx: Knex.Transaction) => {
    await lockFeed(trx, feedId);
    // the same record twice within a page counts once: the last copy is the one kept
    const byId = new Map<string, unknown>();
    for (const item of items) {
      counts.received++;
      const id = recordIdOf(item, schema.idField);
      if (byId.has(id)) counts.duplicates++;
      byId.set(id, item);
    }
    const ids = [...byId.keys()];
    const existing = new Map<string, { id: string; content_hash: string; revision: number }>();
    if (ids.length) {
      const rows = await trx('pipeline.feed_inbound').where({ feed_id: feedId }).whereIn('record_id', ids).select('id', 'record_id', 'content_hash', 'revision');
      for (const r of rows as { id: string; record_id: string; content_hash: string; revision: number }[]) existing.set(r.record_id, r);
    }

    const toStore: StoredRecord<R>[] = [];
    const seenAgain: string[] = [];
    for (const [recordId, item] of byId) {
      const hash = hashOf(item);
      const before = existing.get(recordId);
      if (before && before.content_hash === hash) {
        counts.duplicates++;
        seenAgain.push(before.id);
        continue;
      }
      const parsed = schema.record.safeParse(item);
      const reasons = parsed.success ? [] : parsed.error.issues.map((i) => ({ code: 'feed.record_invalid', field: i.path.join('.'), detail: i.message }));
      const values = { content_hash: hash, payload: JSON.stringify(item), valid: parsed.success, reasons: JSON.stringify(reasons), last_seen_at: trx.fn.now() };
      let rows: { id: string; revision: number }[];
      if (before) {
        rows = await trx('pipeline.feed_inbound')
          .where({ id: before.id })
          .update({ ...values, revision: before.revision + 1, times_seen: trx.raw('times_seen + 1'), handed_off_at: null })
          .returning(['id', 'revision']);
        counts.revised++;
      } else {
        rows = await trx('pipeline.feed_inbound').insert({ ...values, feed_id: feedId, record_id: recordId }).returning(['id', 'revision']);
        counts.accepted++;
      }
      const row = rows[0]!;
      if (parsed.success) toStore.push({ inboundId: String(row.id), revision: row.revision, record: parsed.data });
      else counts.invalid++;
    }
    if (seenAgain.length) await trx('pipeline.feed_inbound').whereIn('id', seenAgain).update({ times_seen: trx.raw('times_seen + 1'), last_seen_at: trx.fn.now() });
    if (toStore.length) addCounts(counts, await schema.store(trx, toStore, ctx));

    if (ctx.feed.watermark) {
      const pageMax = maxCursor(items.map((i) => cursorOf(i, ctx.feed.watermark.field)));
      const pending = ((await readFeedState(trx, feedId)).pending ?? { cursor: null }) as PendingCursor;
      if (pageMax !== null && (pending.cursor === null || compareCursor(pageMax, pending.cursor) > 0)) await writeFeedState(trx, feedId, { pending: { cursor: pageMax } });
    }
    return counts;
  });
}

/**
 * After the last page: the highest cursor committed by the pull becomes the watermark (never
 * lower than it was). Returns the watermark now in force.
 */
export async function promoteWatermark(db: Db, feedId: string): Promise<string | null> {
  return db.transaction(async (trx) => {
    await lockFeed(trx, feedId);
    const state = await readFeedState(trx, feedId);
    const current = ((state.watermark as PendingCursor | null)?.cursor ?? null) as string | null;
    const pending = ((state.pending as PendingCursor | null)?.cursor ?? null) as string | null;
    const next = maxCursor([current, pending]);
    await writeFeedState(trx, feedId, { watermark: { cursor: next }, pending: { cursor: null } });
    return next;
  });
}

/** The watermark in force for a pull (null: from the beginning or the configured start). */
export async function currentCursor(db: Db, feedId: string, initial: string | undefined): Promise<string | null> {
  const state = await readFeedState(db, feedId);
  return ((state.watermark as PendingCursor | null)?.cursor ?? initial ?? null) as string | null;
}

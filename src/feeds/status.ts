/**
 * `tongchou feeds status`: per feed and city sync — the last successful run, the watermark, the
 * backlog (deliveries still pending; exchange files not yet read) and the parked deliveries
 * waiting for a person.
 */
import path from 'node:path';
import { expandFilePattern } from '../mapping/source-roots';
import { sha256File } from '../../activities/register-source';
import type { Db } from '../db/knex';
import { cstIso } from './calendar';
import { outboxFeedOf, type LoadedFeedConfig } from './config';

export interface ParkedDelivery {
  key: string;
  attempts: number;
  lastError: string | null;
  parkedAt: string | null;
}

export interface FeedStatus {
  id: string;
  kind: 'feed' | 'city_sync';
  agency: string | null;
  direction: 'in' | 'out' | null;
  schema: string | null;
  lastSuccess: string | null;
  lastRun: { status: string; startedAt: string; nominalTime: string; error: string | null; warnings: string[] } | null;
  watermark: unknown;
  /** outbound: deliveries pending; inbound files: files not yet read; otherwise null (not knowable before a pull) */
  backlog: number | null;
  /** exchange files written and not yet acknowledged by the agency */
  awaitingAcknowledgement: number;
  parked: number;
  parkedDeliveries: ParkedDelivery[];
  /** inbound records that failed the feed schema (or the plan refused): kept with reasons for a person */
  invalidRecords: number;
}

/** Times in China Standard Time (with their +08:00 offset), as everything a person reads. */
const iso = (d: Date | null | undefined): string | null => (d ? cstIso(d) : null);

async function unreadFiles(dir: string, pattern: string, readHashes: ReadonlySet<string>): Promise<number> {
  let n = 0;
  for (const file of expandFilePattern(dir, pattern)) {
    if (path.basename(file).startsWith('.')) continue;
    if (!readHashes.has((await sha256File(file)).sha256)) n++;
  }
  return n;
}

export async function feedStatuses(db: Db, loaded: LoadedFeedConfig, opts: { parkedLimit?: number } = {}): Promise<FeedStatus[]> {
  const ids = [...loaded.config.feeds.map((f) => f.id), ...loaded.config.city_syncs.map((s) => s.id)];
  const outboxFeeds = loaded.config.feeds.flatMap((f) => (f.direction === 'out' ? [outboxFeedOf(f)] : []));
  const runs = (await db('pipeline.feed_run')
    .whereIn('feed_id', ids)
    .select('feed_id', db.raw(`max(finished_at) FILTER (WHERE status = 'succeeded') as last_success`))
    .groupBy('feed_id')) as { feed_id: string; last_success: Date | null }[];
  const lastSuccess = new Map(runs.map((r) => [r.feed_id, r.last_success]));
  const latest = (await db('pipeline.feed_run')
    .distinctOn('feed_id')
    .whereIn('feed_id', ids)
    .orderBy([{ column: 'feed_id' }, { column: 'started_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .select('feed_id', 'status', 'started_at', 'nominal_time', 'error', 'counts')) as { feed_id: string; status: string; started_at: Date; nominal_time: Date; error: string | null; counts: { warnings?: string[] } | null }[];
  const lastRun = new Map(
    latest.map((r) => [r.feed_id, { status: r.status, startedAt: cstIso(r.started_at), nominalTime: cstIso(r.nominal_time), error: r.error, warnings: r.counts?.warnings ?? [] }]),
  );
  const states = (await db('pipeline.feed_state').select('feed_id', 'watermark')) as { feed_id: string; watermark: unknown }[];
  const watermarks = new Map(states.map((s) => [s.feed_id, s.watermark]));
  const outbox = (await db('pipeline.outbox')
    .whereIn('feed', outboxFeeds)
    .groupBy('feed', 'status')
    .select('feed', 'status', db.raw('count(*)::int as n'))) as { feed: string; status: string; n: number }[];
  const countOf = (feed: string, status: string) => outbox.find((o) => o.feed === feed && o.status === status)?.n ?? 0;
  const invalid = (await db('pipeline.feed_inbound')
    .whereIn('feed_id', ids)
    .where((w) => void w.where('valid', false).orWhereRaw(`reasons @> '[{"code": "fund.receipt.refused_by_plan"}]'`))
    .groupBy('feed_id')
    .select('feed_id', db.raw('count(*)::int as n'))) as { feed_id: string; n: number }[];
  const invalidOf = (feedId: string) => invalid.find((r) => r.feed_id === feedId)?.n ?? 0;

  const out: FeedStatus[] = [];
  for (const f of loaded.config.feeds) {
    const outboxFeed = f.direction === 'out' ? outboxFeedOf(f) : null;
    const parkedRows = (await db('pipeline.outbox')
      .where({ feed: outboxFeed, status: 'parked' })
      .orderBy('id')
      .limit(opts.parkedLimit ?? 20)
      .select('idempotency_key', 'attempts', 'last_error', 'parked_at')) as { idempotency_key: string; attempts: number; last_error: string | null; parked_at: Date | null }[];
    let backlog: number | null = null;
    if (outboxFeed) backlog = countOf(outboxFeed, 'pending');
    else if (f.transport.kind === 'files') {
      const read = new Set((await db('pipeline.feed_file').where({ feed_id: f.id }).pluck('content_sha256')) as string[]);
      backlog = await unreadFiles(f.transport.dir, f.transport.pattern, read);
    }
    out.push({
      id: f.id,
      kind: 'feed',
      agency: f.agency,
      direction: f.direction,
      schema: f.schema,
      lastSuccess: iso(lastSuccess.get(f.id)),
      lastRun: lastRun.get(f.id) ?? null,
      watermark: watermarks.get(f.id) ?? null,
      backlog,
      awaitingAcknowledgement: outboxFeed ? countOf(outboxFeed, 'sent') : 0,
      parked: outboxFeed ? countOf(outboxFeed, 'parked') : 0,
      parkedDeliveries: parkedRows.map((r) => ({ key: r.idempotency_key, attempts: r.attempts, lastError: r.last_error, parkedAt: iso(r.parked_at) })),
      invalidRecords: invalidOf(f.id),
    });
  }
  for (const s of loaded.config.city_syncs) {
    const live = Object.fromEntries(s.live.map((l) => [l.source, watermarks.get(`${s.id}/${l.source}`) ?? null]));
    out.push({
      id: s.id,
      kind: 'city_sync',
      agency: null,
      direction: 'in',
      schema: null,
      lastSuccess: iso(lastSuccess.get(s.id)),
      lastRun: lastRun.get(s.id) ?? null,
      watermark: s.live.length ? live : null,
      backlog: null,
      awaitingAcknowledgement: 0,
      parked: 0,
      parkedDeliveries: [],
      invalidRecords: 0,
    });
  }
  return out;
}

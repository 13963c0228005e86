/**
 * Outbound feed runs. `stageFeed` puts what the feed owes as of the run's nominal time into the
 * outbox (once per idempotency key) and moves a monthly feed's watermark after that commit.
 * `deliverFeed` is one delivery round: claim due rows, send each (HTTPS with its idempotency key,
 * or one exchange file per batch), and settle it — acknowledged, sent, retried after a backoff,
 * or parked. A peer that cannot be reached ends the round; the workflow waits out the backoff.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { OUTBOUND_SCHEMAS } from '../../src/feeds/agencies';
import { findFeed, outboxFeedOf, type FilesTransport, type HttpsTransport, type OutboundFeed } from '../../src/feeds/config';
import { writeExchangeFile } from '../../src/feeds/exchange-files';
import { AgencyHttpClient } from '../../src/feeds/http';
import { assignBatch, backoffPolicy, claimDue, markAcknowledged, markFailed, markSent, nextDue, releaseClaims, stageDeliveries, type OutboxRow } from '../../src/feeds/outbox';
import { readFeedState, writeFeedState } from '../../src/feeds/state';
import { type FeedActivityDeps, loadFeedConfigFor } from './feed-context';
import type { FeedRunInput } from './feed-run';

export interface DeliveryRound {
  acknowledged: number;
  sent: number;
  failed: number;
  parked: number;
  /** still pending after the round */
  pending: number;
  /** ISO time the next pending delivery is due; null when nothing is pending */
  nextAttemptAt: string | null;
}

/** Refusals that are about us, not the record: wrong credentials or address. */
const PEER_LEVEL_REFUSALS = new Set([401, 403, 404, 405]);

/** Rows claimed at a time: the lease must cover sending all of them. */
const CLAIM_CHUNK = 20;

function outbound(deps: FeedActivityDeps, input: { configPath: string; feedId: string }, requireSecrets: boolean) {
  const loaded = loadFeedConfigFor(deps, input.configPath, requireSecrets);
  const feed = findFeed(loaded, input.feedId);
  if (feed.direction !== 'out') throw ApplicationFailure.nonRetryable(`feed ${feed.id} is inbound`, 'InvalidFeedConfig');
  return { loaded, feed };
}

export function createStageFeed(deps: FeedActivityDeps) {
  return async function stageFeed(input: FeedRunInput): Promise<{ staged: number; existing: number }> {
    const { feed } = outbound(deps, input, false);
    const state = await readFeedState(deps.db, feed.id);
    const { deliveries, watermark } = await OUTBOUND_SCHEMAS[feed.schema].due({ db: deps.db, feed, asOf: new Date(input.nominalTime), watermark: state.watermark });
    const result = await stageDeliveries(deps.db, outboxFeedOf(feed), deliveries);
    if (watermark !== undefined) await writeFeedState(deps.db, feed.id, { watermark });
    return result;
  };
}

/** Acknowledgement reference a peer may return: its own id for what it received. */
function ackRefOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const ref = b.ack_id ?? b.receipt_id ?? b.id;
  return typeof ref === 'string' || typeof ref === 'number' ? String(ref) : null;
}

export function createDeliverFeed(deps: FeedActivityDeps) {
  const { db } = deps;

  async function deliverHttps(feed: OutboundFeed, transport: HttpsTransport, secrets: ReadonlyMap<string, string>, round: DeliveryRound): Promise<void> {
    const client = new AgencyHttpClient({ transport, secrets });
    const policy = backoffPolicy(feed.delivery);
    const leaseMs = CLAIM_CHUNK * ((transport.retries + 1) * transport.timeout + transport.retry_delay * 2 ** (transport.retries + 1));
    let budget = feed.delivery.batch;
    while (budget > 0) {
      const rows = await claimDue(db, outboxFeedOf(feed), Math.min(CLAIM_CHUNK, budget), leaseMs);
      if (rows.length === 0) return;
      budget -= rows.length;
      for (const [i, row] of rows.entries()) {
        const outcome = await client.request('POST', client.url(), row.payload, { 'idempotency-key': row.idempotency_key });
        Context.current().heartbeat({ outboxId: row.id });
        // 409: the peer already has this key — the first delivery got through, only its answer was lost
        if (outcome.kind === 'ok' || (outcome.kind === 'rejected' && outcome.status === 409)) {
          await markAcknowledged(db, row.id, outcome.kind === 'ok' ? ackRefOf(outcome.body) : 'duplicate');
          round.acknowledged++;
          continue;
        }
        const failed = await markFailed(db, row, outcome.error, policy);
        round.failed++;
        if (failed.parked) round.parked++;
        // down or struggling, or refusing us altogether (credentials, address): the rest wait with
        // it instead of piling on — only a refusal of this one record lets the round go on
        if (outcome.kind === 'unreachable' || PEER_LEVEL_REFUSALS.has(outcome.status)) {
          await releaseClaims(db, rows.slice(i + 1).map((r) => r.id), failed.retryAt);
          return;
        }
      }
    }
  }

  async function deliverFiles(feed: OutboundFeed, transport: FilesTransport, round: DeliveryRound): Promise<void> {
    const rows = await claimDue(db, outboxFeedOf(feed), feed.delivery.batch, 10 * 60_000);
    if (rows.length === 0) return;
    // rows of an unfinished file keep their batch and are written again, the same file
    const batches = new Map<string, OutboxRow[]>();
    const fresh = rows.filter((r) => r.batch_ref === null);
    if (fresh.length) {
      const ref = `${feed.id}-${fresh[0]!.id}-${fresh[fresh.length - 1]!.id}`;
      await assignBatch(db, fresh.map((r) => r.id), ref);
      for (const r of fresh) r.batch_ref = ref;
    }
    for (const r of rows) batches.set(r.batch_ref!, [...(batches.get(r.batch_ref!) ?? []), r]);
    for (const [ref, batch] of batches) {
      writeExchangeFile(transport.dir, ref, transport.format, batch.map((r) => ({ delivery_key: r.idempotency_key, ...r.payload })));
      await markSent(db, batch.map((r) => r.id));
      round.sent += batch.length;
      Context.current().heartbeat({ batch: ref });
    }
  }

  return async function deliverFeed(input: { configPath: string; feedId: string }): Promise<DeliveryRound> {
    const { loaded, feed } = outbound(deps, input, true);
    const round: DeliveryRound = { acknowledged: 0, sent: 0, failed: 0, parked: 0, pending: 0, nextAttemptAt: null };
    if (feed.transport.kind === 'https') await deliverHttps(feed, feed.transport, loaded.secrets, round);
    else await deliverFiles(feed, feed.transport, round);
    const next = await nextDue(db, outboxFeedOf(feed));
    round.pending = next.pending;
    round.nextAttemptAt = next.nextAttemptAt?.toISOString() ?? null;
    if (round.failed) deps.log.warn({ feed: feed.id, failed: round.failed, parked: round.parked }, 'deliveries failed');
    return round;
  };
}

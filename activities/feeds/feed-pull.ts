/**
 * An inbound feed run: pull every record past the watermark — HTTPS pages (since-cursor plus page
 * tokens) or new exchange files — committing page by page with de-duplication by the agency
 * record id, then move the watermark. Afterwards the schema's follow-up: the accident cross-check,
 * or handing new finance receipts to the plan workflow.
 *
 * Resumable: a retried attempt continues from the page token in its heartbeat; pages it reads
 * again are dropped as duplicates, so a record is received exactly once either way.
 */
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { INBOUND_SCHEMAS } from '../../src/feeds/agencies';
import { fundReceiptRow, type TransferReceipt } from '../../src/feeds/agencies/finance';
import type { InboundContext } from '../../src/feeds/agencies/types';
import { crossCheckAccidents } from '../../src/feeds/agencies/work-safety';
import { findFeed, outboxFeedOf, type FilesTransport, type HttpsTransport, type InboundFeed } from '../../src/feeds/config';
import { sinceCursor } from '../../src/feeds/cursor';
import { readExchangeFile } from '../../src/feeds/exchange-files';
import { AgencyHttpClient, readPage } from '../../src/feeds/http';
import { addCounts, commitInboundPage, currentCursor, emptyInboundCounts, promoteWatermark, type InboundCounts } from '../../src/feeds/inbound';
import { confineSourceFile, expandFilePattern, SourceOutsideRootError, sourceRoots } from '../../src/mapping/source-roots';
import { sha256File } from '../register-source';
import { agencyRefused, agencyUnreachable, type FeedActivityDeps, loadFeedConfigFor } from './feed-context';
import type { FeedRunInput } from './feed-run';

export interface FeedPullResult {
  counts: InboundCounts & { pages: number; files: number };
  watermark: string | null;
  followUp: Record<string, number>;
}

interface PullCheckpoint {
  since: string | null;
  token: string | null;
  pages: number;
}

function checkpointOf(details: unknown, since: string | null): PullCheckpoint | null {
  const d = details as Partial<PullCheckpoint> | undefined;
  // a checkpoint of another pull (the watermark moved since) is no use
  if (!d || d.since !== since || typeof d.token !== 'string' || typeof d.pages !== 'number') return null;
  return { since, token: d.token, pages: d.pages };
}

export function createPullFeed(deps: FeedActivityDeps) {
  async function pullHttps(feed: InboundFeed, transport: HttpsTransport, secrets: ReadonlyMap<string, string>, ctx: InboundContext, counts: FeedPullResult['counts']) {
    const schema = INBOUND_SCHEMAS[feed.schema];
    const client = new AgencyHttpClient({ transport, secrets });
    const since = sinceCursor(await currentCursor(deps.db, feed.id, feed.watermark.initial), feed.watermark.lookback);
    const activity = Context.current();
    const resumed = checkpointOf(activity.info.heartbeatDetails, since);
    let token = resumed?.token ?? null;
    let pages = resumed?.pages ?? 0;
    const p = transport.pagination;
    for (;;) {
      const outcome = await client.request('GET', client.url({ [p.since_param]: since, [p.page_param]: token, [p.limit_param]: transport.page_size }));
      if (outcome.kind === 'unreachable') throw agencyUnreachable(feed.id, outcome.error);
      if (outcome.kind === 'rejected') throw agencyRefused(feed.id, outcome.error);
      const page = readPage(outcome.body, p);
      if (!page) throw agencyUnreachable(feed.id, `page ${pages + 1} has no ${p.items_field} list`);
      addCounts(counts, await commitInboundPage(deps.db, schema, page.items, ctx));
      pages++;
      counts.pages++;
      activity.heartbeat({ since, token: page.next, pages } satisfies PullCheckpoint);
      if (page.next === null) break;
      if (pages >= transport.max_pages) throw ApplicationFailure.nonRetryable(`feed ${feed.id}: more than ${transport.max_pages} pages; the peer's page links may loop`, 'PaginationRunaway');
      token = page.next;
    }
  }

  async function pullFiles(feed: InboundFeed, transport: FilesTransport, ctx: InboundContext, counts: FeedPullResult['counts']) {
    const schema = INBOUND_SCHEMAS[feed.schema];
    const roots = sourceRoots(transport.dir);
    const files = expandFilePattern(transport.dir, transport.pattern).filter((f) => !path.basename(f).startsWith('.'));
    for (const listed of files) {
      // a link in the exchange folder pointing elsewhere is never followed out of it
      let file: string;
      try {
        file = confineSourceFile(listed, roots);
      } catch (err) {
        if (err instanceof SourceOutsideRootError) throw ApplicationFailure.nonRetryable(`feed ${feed.id}: ${err.message}`, 'SourceOutsideRoot');
        throw err;
      }
      const { sha256 } = await sha256File(file);
      // the same bytes again (a re-sent file) are not read twice
      if (await deps.db('pipeline.feed_file').where({ feed_id: feed.id, content_sha256: sha256 }).first('feed_id')) continue;
      const records = await readExchangeFile(file);
      for (let i = 0; i < records.length; i += 1_000) addCounts(counts, await commitInboundPage(deps.db, schema, records.slice(i, i + 1_000), ctx));
      await deps.db('pipeline.feed_file').insert({ feed_id: feed.id, content_sha256: sha256, file_name: path.basename(file), records: records.length }).onConflict(['feed_id', 'content_sha256']).ignore();
      counts.files++;
      Context.current().heartbeat({ file: path.basename(file) });
    }
  }

  /** New receipts to the plan workflow named by the feed; a plan without a running workflow gets them in the table. */
  async function handOffReceipts(feed: InboundFeed): Promise<Record<string, number>> {
    if (feed.schema !== 'transfer_receipt' || !feed.options.handoff_workflow_id) return {};
    const template = feed.options.handoff_workflow_id;
    const rows = (await deps.db('pipeline.feed_inbound')
      .where({ feed_id: feed.id, valid: true, revision: 1 })
      .whereNull('handed_off_at')
      .orderBy('id')
      .select('id', 'payload')) as { id: string; payload: unknown }[];
    const schema = INBOUND_SCHEMAS.transfer_receipt;
    const result = { handed_to_workflow: 0, written_to_table: 0, refused_by_plan: 0 };
    for (const row of rows) {
      const receipt = schema.record.parse(row.payload) as TransferReceipt;
      const workflowId = template.replace('{plan_id}', receipt.planId);
      let refusal: string | null = null;
      try {
        await Context.current()
          .client.workflow.getHandle(workflowId)
          .executeUpdate(feed.options.handoff_update, { args: [{ ...receipt, amountFen: String(receipt.amountFen) }] });
        result.handed_to_workflow++;
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) {
          // the plan refused it (no such installment, a conflicting copy): a person looks at it
          refusal = err.cause?.message ?? err.message;
          result.refused_by_plan++;
        } else if (err instanceof WorkflowNotFoundError) {
          // no plan workflow running (never started, or settled): the receipts table takes it
          await deps.db('province.fund_receipt').insert(fundReceiptRow(receipt)).onConflict('receipt_id').ignore();
          result.written_to_table++;
        } else throw err;
      }
      const reasons = refusal ? JSON.stringify([{ code: 'fund.receipt.refused_by_plan', detail: refusal }]) : undefined;
      await deps.db('pipeline.feed_inbound').where({ id: row.id }).update({ handed_off_at: deps.db.fn.now(), ...(reasons && { reasons }) });
    }
    return result;
  }

  return async function pullFeed(input: FeedRunInput): Promise<FeedPullResult> {
    const loaded = loadFeedConfigFor(deps, input.configPath);
    const feed = findFeed(loaded, input.feedId);
    if (feed.direction !== 'in') throw ApplicationFailure.nonRetryable(`feed ${feed.id} is outbound`, 'InvalidFeedConfig');
    const ctx: InboundContext = {
      feed,
      provinceCode: deps.config.provinceCode,
      outboxFeedOf: (id) => {
        const target = findFeed(loaded, id);
        return target.direction === 'out' ? outboxFeedOf(target) : id;
      },
    };
    const counts = { ...emptyInboundCounts(), pages: 0, files: 0 };
    if (feed.transport.kind === 'https') await pullHttps(feed, feed.transport, loaded.secrets, ctx, counts);
    else await pullFiles(feed, feed.transport, ctx, counts);
    // only now, with every page committed, does the watermark move
    const watermark = await promoteWatermark(deps.db, feed.id);
    const followUp: Record<string, number> = { ...(await handOffReceipts(feed)) };
    if (feed.schema === 'accident_report') Object.assign(followUp, await crossCheckAccidents(deps.db, feed.id, new Date(input.nominalTime), feed.options.cross_check_days));
    deps.log.info({ feed: feed.id, counts, watermark }, 'feed pulled');
    return { counts, watermark, followUp };
  };
}

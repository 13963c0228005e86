/**
 * feedRun: one run of an agency feed, as a Schedule starts it every night (or by hand).
 * Inbound: pull past the watermark, committing page by page, then move the watermark. Outbound:
 * put what is owed into the outbox, then deliver in rounds, sleeping out each backoff, until
 * everything is acknowledged or the run's budget is spent (the rest waits for the next run;
 * deliveries that keep failing are parked for a person). Histories carry counts, never records.
 */
import { ActivityFailure, type ActivityInterfaceFor, ApplicationFailure, CancellationScope, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DeliveryRound } from '../activities/feeds/feed-deliver';
import type { FeedPullResult } from '../activities/feeds/feed-pull';
import { nominalTimeOf } from './feed-nominal-time';
import { bookkeepingOptions, failureMessage, FEED_NON_RETRYABLE } from './feed-options';

export interface FeedRunInput {
  /** the feed configuration file (absolute, readable by every worker) */
  configPath: string;
  feedId: string;
  /** the time the run stands for; default: the scheduled time, else now */
  nominalTime?: string;
}

export interface DeliveryTotals {
  rounds: number;
  acknowledged: number;
  sent: number;
  failed: number;
  parked: number;
  /** still pending when the run ended: the next run takes them */
  pending: number;
}

export interface FeedRunResult {
  feedId: string;
  nominalTime: string;
  direction: 'in' | 'out';
  pulled?: FeedPullResult;
  staged?: { staged: number; existing: number };
  delivery?: DeliveryTotals;
}

async function deliverWithin(steps: ActivityInterfaceFor<Activities>, input: FeedRunInput, budgetMs: number): Promise<DeliveryTotals> {
  const totals: DeliveryTotals = { rounds: 0, acknowledged: 0, sent: 0, failed: 0, parked: 0, pending: 0 };
  const deadline = Date.now() + budgetMs;
  for (;;) {
    const r: DeliveryRound = await steps.deliverFeed({ configPath: input.configPath, feedId: input.feedId });
    totals.rounds++;
    totals.acknowledged += r.acknowledged;
    totals.sent += r.sent;
    totals.failed += r.failed;
    totals.parked += r.parked;
    totals.pending = r.pending;
    if (r.pending === 0 || r.nextAttemptAt === null) return totals;
    const progress = r.acknowledged + r.sent + r.failed;
    // nothing tried and nothing due yet (another run holds the rows): wait a moment rather than spin
    const wait = Math.max(Date.parse(r.nextAttemptAt) - Date.now(), progress === 0 ? 1_000 : 0);
    if (Date.now() + wait > deadline) return totals;
    if (wait > 0) await sleep(wait);
  }
}

export async function feedRun(input: FeedRunInput): Promise<FeedRunResult> {
  const nominalTime = nominalTimeOf(input.nominalTime);
  const { workflowId, runId } = workflowInfo();
  const bookkeeping = proxyActivities<Activities>(bookkeepingOptions);
  const plan = await bookkeeping.beginFeedRun({ configPath: input.configPath, feedId: input.feedId, nominalTime, workflowId, runId });
  const steps = proxyActivities<Activities>({
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: plan.heartbeatMs,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: plan.attempts, nonRetryableErrorTypes: FEED_NON_RETRYABLE },
  });
  const run = { configPath: input.configPath, feedId: input.feedId, nominalTime };
  const result: FeedRunResult = { feedId: input.feedId, nominalTime, direction: plan.direction };
  try {
    if (plan.direction === 'in') result.pulled = await steps.pullFeed(run);
    else {
      result.staged = await steps.stageFeed(run);
      result.delivery = await deliverWithin(steps, input, plan.runBudgetMs);
    }
  } catch (err) {
    // recorded even when the run is being cancelled (an overlap policy cancelling it)
    await CancellationScope.nonCancellable(() => bookkeeping.finishFeedRun({ feedRunId: plan.feedRunId, status: 'failed', error: failureMessage(err) }));
    throw err instanceof ActivityFailure ? ApplicationFailure.nonRetryable(`feed ${input.feedId}: ${failureMessage(err)}`, 'FeedRunFailed') : err;
  }
  const counts = { ...(result.pulled ? { ...result.pulled.counts, ...result.pulled.followUp } : {}), ...result.staged, ...result.delivery };
  await bookkeeping.finishFeedRun({ feedRunId: plan.feedRunId, status: 'succeeded', counts });
  return result;
}

/**
 * The start and end of a feed or city-sync run, recorded in pipeline.feed_run; the start also tells
 * the workflow how to run the feed (its direction and the timeouts and budgets of its config).
 */
import { findFeed } from '../../src/feeds/config';
import { finishFeedRun, startFeedRun } from '../../src/feeds/state';
import { type FeedActivityDeps, loadFeedConfigFor } from './feed-context';

export interface FeedRunInput {
  configPath: string;
  feedId: string;
  /** ISO instant the run stands for (its scheduled time) */
  nominalTime: string;
}

/** The workflow execution a run is recorded under (ids, never run-dependent business keys). */
export interface RunIdentity {
  workflowId: string;
  runId: string;
}

export interface FeedRunPlan {
  feedRunId: string;
  direction: 'in' | 'out';
  /** activity attempts per step */
  attempts: number;
  /** the longest a pull may go without a heartbeat: one request with all its retries, and some */
  heartbeatMs: number;
  /** outbound: how long the run keeps retrying deliveries */
  runBudgetMs: number;
}

export function createBeginFeedRun(deps: FeedActivityDeps) {
  return async function beginFeedRun(input: FeedRunInput & RunIdentity): Promise<FeedRunPlan> {
    const feed = findFeed(loadFeedConfigFor(deps, input.configPath, false), input.feedId);
    const feedRunId = await startFeedRun(deps.db, { feedId: feed.id, kind: 'feed', workflowId: input.workflowId, runId: input.runId, nominalTime: input.nominalTime });
    let heartbeatMs = 60_000;
    if (feed.transport.kind === 'https') {
      const t = feed.transport;
      heartbeatMs = (t.retries + 1) * t.timeout + t.retry_delay * 2 ** (t.retries + 1) + 30_000;
    }
    return { feedRunId, direction: feed.direction, attempts: feed.attempts, heartbeatMs, runBudgetMs: feed.direction === 'out' ? feed.delivery.run_budget : 0 };
  };
}

export function createBeginCitySyncRun(deps: FeedActivityDeps) {
  return async function beginCitySyncRun(input: { syncId: string; nominalTime: string } & RunIdentity): Promise<{ feedRunId: string }> {
    return { feedRunId: await startFeedRun(deps.db, { feedId: input.syncId, kind: 'city_sync', workflowId: input.workflowId, runId: input.runId, nominalTime: input.nominalTime }) };
  };
}

export function createFinishFeedRun(deps: FeedActivityDeps) {
  return async function finishRun(input: { feedRunId: string; status: 'succeeded' | 'failed'; counts?: Record<string, unknown>; error?: string }): Promise<void> {
    await finishFeedRun(deps.db, input.feedRunId, input);
  };
}

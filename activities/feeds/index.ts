/**
 * Feed and city-sync activities. The worker's environment is captured when they are built (at
 * start-up): feed secrets are read from it by name when a feed's configuration is loaded.
 */
import type { ActivityDeps } from '../deps';
import { createCommitLiveSource, createPlanCitySync, createPullLiveSource } from './city-sync';
import { createDeliverFeed, createStageFeed } from './feed-deliver';
import { createPullFeed } from './feed-pull';
import { createBeginCitySyncRun, createBeginFeedRun, createFinishFeedRun } from './feed-run';

export function createFeedActivities(deps: ActivityDeps, env: Readonly<Record<string, string | undefined>> = process.env) {
  const feedDeps = { ...deps, env };
  return {
    beginFeedRun: createBeginFeedRun(feedDeps),
    beginCitySyncRun: createBeginCitySyncRun(feedDeps),
    finishFeedRun: createFinishFeedRun(feedDeps),
    pullFeed: createPullFeed(feedDeps),
    stageFeed: createStageFeed(feedDeps),
    deliverFeed: createDeliverFeed(feedDeps),
    planCitySync: createPlanCitySync(feedDeps),
    pullLiveSource: createPullLiveSource(feedDeps),
    commitLiveSource: createCommitLiveSource(feedDeps),
  };
}

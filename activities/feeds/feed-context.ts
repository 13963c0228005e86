/**
 * What feed activities share: the activity dependencies plus the environment the worker started
 * with (feed secrets are read from it when a feed's configuration is loaded, never logged), and
 * the configuration loaded per call, so an edited file takes effect at the next run.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { FeedConfigError, loadFeedConfig, type LoadedFeedConfig } from '../../src/feeds/config';
import type { ActivityDeps } from '../deps';

export interface FeedActivityDeps extends ActivityDeps {
  env: Readonly<Record<string, string | undefined>>;
}

export function loadFeedConfigFor(deps: FeedActivityDeps, configPath: string, requireSecrets = true): LoadedFeedConfig {
  try {
    return loadFeedConfig(configPath, { env: deps.env, requireSecrets });
  } catch (err) {
    if (err instanceof FeedConfigError || (err as NodeJS.ErrnoException).code === 'ENOENT') throw ApplicationFailure.nonRetryable((err as Error).message, 'InvalidFeedConfig');
    throw err;
  }
}

/** An HTTP failure the next attempt may not see (timeouts, 5xx, connection refused). */
export const agencyUnreachable = (feedId: string, error: string) => ApplicationFailure.retryable(`feed ${feedId}: agency unreachable: ${error}`, 'AgencyUnreachable');

/** A refusal a retry will not change (401, 403, 400 on a pull): a person must look. */
export const agencyRefused = (feedId: string, error: string) => ApplicationFailure.nonRetryable(`feed ${feedId}: agency refused the request: ${error}`, 'AgencyRefused');

/** Activity options and failure handling shared by the feed and city-sync workflows. */
import { ActivityFailure } from '@temporalio/workflow';

/** Failures a retry of the same step cannot mend. */
export const FEED_NON_RETRYABLE = ['InvalidFeedConfig', 'InvalidMapping', 'AgencyRefused', 'PaginationRunaway'];

export const bookkeepingOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 30, nonRetryableErrorTypes: FEED_NON_RETRYABLE },
} as const;

export function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * When an outbox delivery is tried again: exponential backoff from the configured initial delay,
 * capped, and parked after the configured number of failures (a person looks at it then).
 */
export interface BackoffPolicy {
  initialMs: number;
  factor: number;
  maxMs: number;
  /** failures after which a delivery is parked instead of retried */
  maxFailures: number;
}

export type AfterFailure = { parked: true } | { parked: false; retryInMs: number };

/** What happens after the `failures`-th failed attempt (1 = the first). */
export function afterFailure(policy: BackoffPolicy, failures: number): AfterFailure {
  if (failures >= policy.maxFailures) return { parked: true };
  const delay = policy.initialMs * policy.factor ** Math.max(0, failures - 1);
  return { parked: false, retryInMs: Math.min(Math.round(delay), policy.maxMs) };
}

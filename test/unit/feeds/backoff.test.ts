import { afterFailure } from '../../../src/feeds/backoff';

const policy = { initialMs: 1_000, factor: 2, maxMs: 5_000, maxFailures: 5 };

it('backs off exponentially from the initial delay, capped', () => {
  expect([1, 2, 3, 4].map((n) => afterFailure(policy, n))).toEqual([
    { parked: false, retryInMs: 1_000 },
    { parked: false, retryInMs: 2_000 },
    { parked: false, retryInMs: 4_000 },
    { parked: false, retryInMs: 5_000 },
  ]);
});

it('parks after the configured number of failures', () => {
  expect(afterFailure(policy, 5)).toEqual({ parked: true });
  expect(afterFailure(policy, 9)).toEqual({ parked: true });
  expect(afterFailure({ ...policy, maxFailures: 1 }, 1)).toEqual({ parked: true });
});

import type { ActivityOptions } from '@temporalio/workflow';

/** Bad input never gets better by retrying: these failure types stop at once (activities throw
 * them non-retryable as well; this list holds if one is ever thrown without the flag). Every
 * refusal type of src/mapping/refusals.ts is here (a unit test holds them together). */
export const NON_RETRYABLE = [
  'InvalidMapping',
  'InvalidManifest',
  'SourceMissing',
  'SourceNotFound',
  'SourceOutsideRoot',
  'SourceUnreadable',
  'StreamNotInFile',
  'ColumnNotFound',
  'AccountingMismatch',
  'ControlTotalsMismatch',
  'RejectThresholdExceeded',
];

/** Landing: long, heavy, on its own task queue; heartbeats every few seconds carry liveness. */
export const extractOptions = (taskQueue: string): ActivityOptions => ({
  taskQueue,
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE },
});

/** Normalization, loading and bookkeeping: short batches, retried with backoff on infrastructure
 * errors. Workers heartbeat every activity (src/worker.ts), so one that dies mid-batch is noticed
 * within the heartbeat timeout and the batch retried elsewhere, not after ten minutes. */
export const batchOptions = (taskQueue: string): ActivityOptions => ({
  taskQueue,
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 50, nonRetryableErrorTypes: NON_RETRYABLE },
});

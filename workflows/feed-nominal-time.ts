/**
 * The time a scheduled run stands for. A Schedule stamps each workflow it starts with the
 * `TemporalScheduledStartTime` search attribute — the nominal time, also for a back-filled or
 * caught-up night — so a run that starts late still computes for its own night and month.
 * Started by hand, a run stands for its start (or the time it is given).
 */
import { workflowInfo } from '@temporalio/workflow';

export function nominalTimeOf(explicit?: string): string {
  if (explicit) return new Date(explicit).toISOString();
  const info = workflowInfo();
  // the untyped map: the server's own attribute needs no declaration to be read
  const scheduled = info.searchAttributes?.TemporalScheduledStartTime?.[0];
  if (scheduled instanceof Date || typeof scheduled === 'string') return new Date(scheduled).toISOString();
  return info.startTime.toISOString();
}

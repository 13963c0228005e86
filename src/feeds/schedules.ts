/**
 * Temporal Schedules for the feeds and city syncs of a feed configuration: one schedule per entry
 * with a `schedule`, in Asia/Shanghai time, with its overlap policy and catch-up window. Applying
 * is idempotent — a schedule is created when missing, updated when its definition changed (a hash
 * kept in its memo), and left alone otherwise, so a paused schedule stays paused.
 */
import crypto from 'node:crypto';
import { type Client, ScheduleAlreadyRunning, type ScheduleDescription, ScheduleNotFoundError, type ScheduleOptions, ScheduleOverlapPolicy } from '@temporalio/client';
import { canonicalJson, loadMapping } from '../mapping/load-mapping';
import { cstIso, FEED_TIME_ZONE } from './calendar';
import type { FeedScheduleConfig, LoadedFeedConfig } from './config';

export const DEFAULT_SCHEDULE_PREFIX = 'tongchou';

export interface ScheduleTarget {
  scheduleId: string;
  kind: 'feed' | 'city_sync';
  id: string;
  schedule: FeedScheduleConfig;
  workflowType: 'feedRun' | 'citySync';
  args: unknown[];
}

export interface ScheduleScope {
  taskQueues: { extract: string; main: string };
  /** schedule ids start with it: one deployment (or test) never touches another's */
  prefix?: string;
}

export function scheduleTargets(loaded: LoadedFeedConfig, scope: ScheduleScope): ScheduleTarget[] {
  const prefix = scope.prefix ?? DEFAULT_SCHEDULE_PREFIX;
  const feeds = loaded.config.feeds.flatMap((f): ScheduleTarget[] =>
    f.schedule ? [{ scheduleId: `${prefix}/feed/${f.id}`, kind: 'feed', id: f.id, schedule: f.schedule, workflowType: 'feedRun', args: [{ configPath: loaded.file, feedId: f.id }] }] : [],
  );
  const syncs = loaded.config.city_syncs.flatMap((s): ScheduleTarget[] =>
    s.schedule
      ? [{ scheduleId: `${prefix}/city-sync/${s.id}`, kind: 'city_sync', id: s.id, schedule: s.schedule, workflowType: 'citySync', args: [{ configPath: loaded.file, syncId: s.id, taskQueues: scope.taskQueues }] }]
      : [],
  );
  return [...feeds, ...syncs];
}

/** `at: '02:30'` is `30 2 * * *`. */
export function cronOf(schedule: FeedScheduleConfig): string {
  if (schedule.cron) return schedule.cron;
  const [h, m] = schedule.at!.split(':').map(Number);
  return `${m} ${h} * * *`;
}

const OVERLAP: Record<FeedScheduleConfig['overlap'], ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  buffer_one: ScheduleOverlapPolicy.BUFFER_ONE,
  buffer_all: ScheduleOverlapPolicy.BUFFER_ALL,
  cancel_other: ScheduleOverlapPolicy.CANCEL_OTHER,
  terminate_other: ScheduleOverlapPolicy.TERMINATE_OTHER,
  allow_all: ScheduleOverlapPolicy.ALLOW_ALL,
};

export const overlapPolicy = (name: FeedScheduleConfig['overlap']): ScheduleOverlapPolicy => OVERLAP[name];

/**
 * What `schedules apply` checks beyond the schema and the secrets, so that a night does not fail
 * on what could be seen now: each city sync's mapping loads, and its live tables are sources of it.
 */
export function scheduleProblems(loaded: LoadedFeedConfig): string[] {
  const problems: string[] = [];
  for (const sync of loaded.config.city_syncs) {
    let sources: string[];
    try {
      sources = loadMapping(sync.mapping).mapping.sources.map((s) => s.id);
    } catch (err) {
      problems.push(`city_syncs.${sync.id}.mapping: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? `no such file: ${sync.mapping}` : (err as Error).message}`);
      continue;
    }
    for (const [i, live] of sync.live.entries()) if (!sources.includes(live.source)) problems.push(`city_syncs.${sync.id}.live[${i}].source: the mapping has no source ${live.source}`);
  }
  return problems;
}

/** The schedule's definition as a hash: what `apply` compares to decide whether to update. */
export function definitionHash(target: ScheduleTarget, taskQueue: string): string {
  return crypto.createHash('sha256').update(canonicalJson({ cron: cronOf(target.schedule), tz: FEED_TIME_ZONE, ...target.schedule, args: target.args, taskQueue, type: target.workflowType })).digest('hex');
}

export function scheduleOptions(target: ScheduleTarget, taskQueue: string): ScheduleOptions {
  return {
    scheduleId: target.scheduleId,
    spec: { cronExpressions: [cronOf(target.schedule)], timezone: FEED_TIME_ZONE },
    action: {
      type: 'startWorkflow',
      workflowType: target.workflowType,
      // the server appends the scheduled time, so each night's run has its own id
      workflowId: target.scheduleId,
      taskQueue,
      args: target.args,
    },
    policies: { overlap: overlapPolicy(target.schedule.overlap), catchupWindow: target.schedule.catchup_window, pauseOnFailure: target.schedule.pause_on_failure },
    memo: { tongchou: { kind: target.kind, id: target.id, cron: cronOf(target.schedule), definition: definitionHash(target, taskQueue) } },
  };
}

export type ApplyOutcome = 'created' | 'updated' | 'unchanged' | 'deleted';

export async function applySchedules(client: Client, loaded: LoadedFeedConfig, scope: ScheduleScope & { prune?: boolean }): Promise<{ scheduleId: string; outcome: ApplyOutcome }[]> {
  const results: { scheduleId: string; outcome: ApplyOutcome }[] = [];
  const targets = scheduleTargets(loaded, scope);
  for (const target of targets) {
    const options = scheduleOptions(target, scope.taskQueues.main);
    try {
      await client.schedule.create(options);
      results.push({ scheduleId: target.scheduleId, outcome: 'created' });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      const handle = client.schedule.getHandle(target.scheduleId);
      const current = await handle.describe();
      if (memoOf(current)?.definition === definitionHash(target, scope.taskQueues.main)) {
        results.push({ scheduleId: target.scheduleId, outcome: 'unchanged' });
        continue;
      }
      // the state (paused, its note) is the operators', not the file's: it is kept
      await handle.update((prev) => ({ ...options, state: prev.state }));
      results.push({ scheduleId: target.scheduleId, outcome: 'updated' });
    }
  }
  if (scope.prune) {
    const wanted = new Set(targets.map((t) => t.scheduleId));
    for (const s of await listSchedules(client, scope.prefix)) {
      if (wanted.has(s.scheduleId)) continue;
      await client.schedule.getHandle(s.scheduleId).delete();
      results.push({ scheduleId: s.scheduleId, outcome: 'deleted' });
    }
  }
  return results;
}

interface ScheduleMemo {
  kind: string;
  id: string;
  cron: string;
  definition: string;
}

function memoOf(d: Pick<ScheduleDescription, 'memo'>): ScheduleMemo | undefined {
  return (d.memo as { tongchou?: ScheduleMemo } | undefined)?.tongchou;
}

export interface ScheduleListing {
  scheduleId: string;
  /** the cron text as applied (the server keeps only its calendar form) */
  cron: string | null;
  timezone: string | null;
  paused: boolean;
  note: string | null;
  overlap: string;
  catchupWindowMs: number;
  nextRuns: string[];
  recentRuns: { scheduledAt: string; takenAt: string; workflowId: string }[];
  running: string[];
}

/** Our schedules (by prefix), described: their time, state, next and recent runs. */
export async function listSchedules(client: Client, prefix = DEFAULT_SCHEDULE_PREFIX): Promise<ScheduleListing[]> {
  const ids: string[] = [];
  for await (const s of client.schedule.list()) if (s.scheduleId.startsWith(`${prefix}/`)) ids.push(s.scheduleId);
  const out: ScheduleListing[] = [];
  for (const id of ids.sort()) {
    try {
      out.push(listing(await client.schedule.getHandle(id).describe()));
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err; // deleted meanwhile
    }
  }
  return out;
}

export function listing(d: ScheduleDescription): ScheduleListing {
  return {
    scheduleId: d.scheduleId,
    cron: memoOf(d)?.cron ?? null,
    timezone: d.spec.timezone ?? null,
    paused: d.state.paused,
    note: d.state.note ?? null,
    overlap: d.policies.overlap ?? 'SKIP',
    catchupWindowMs: d.policies.catchupWindow,
    // in the schedules' own time zone, as their cron reads
    nextRuns: d.info.nextActionTimes.map((t) => cstIso(t)),
    recentRuns: d.info.recentActions.map((a) => ({ scheduledAt: cstIso(a.scheduledAt), takenAt: cstIso(a.takenAt), workflowId: a.action.workflow.workflowId })),
    running: d.info.runningActions.map((a) => a.workflow.workflowId),
  };
}

/**
 * Starts a run now. Without an explicit policy the schedule's own overlap policy applies (the
 * SDK's default for a trigger would be ALLOW_ALL, which defeats a feed's SKIP). Runs are named by
 * the second they start, so two triggers within one second are one run.
 */
export async function triggerSchedule(client: Client, scheduleId: string, overlap?: ScheduleOverlapPolicy): Promise<void> {
  const handle = client.schedule.getHandle(scheduleId);
  await handle.trigger(overlap ?? (await handle.describe()).policies.overlap);
}

/** A schedule id as given, or its short form (`feed/finance-receipts`) under the prefix. */
export const fullScheduleId = (id: string, prefix = DEFAULT_SCHEDULE_PREFIX): string => (id.startsWith(`${prefix}/`) ? id : `${prefix}/${id}`);

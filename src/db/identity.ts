/**
 * Which database this is (migration `database_identity`: one row, a random uuid). Workers on the
 * same task queues with another DATABASE_URL would otherwise split one run across databases — a
 * "loaded" report over an empty database. Three checks, each refusing with a clear error:
 * - at start, a worker or a client compares its database with the one every live poller of its
 *   task queues advertises in its worker identity (`<pid>@<host> db:<uuid>`);
 * - a client puts its database's id in a header of every workflow it starts; the workflow passes
 *   it on to its activities and children (workflows/database-identity.ts);
 * - every activity compares the header with its own database before it runs, so the wrong worker
 *   fails the activity non-retryably and writes nothing (src/worker.ts).
 */
import os from 'node:os';
import type { ScheduleClientInterceptor, WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { Knex } from 'knex';

/** The header a workflow, its activities and its children carry the client's database id in. */
export const DATABASE_ID_HEADER = 'tongchou-database-id';
export const DATABASE_MISMATCH = 'tongchou.database_mismatch';

/** Pollers seen this recently count as live: an active one polls again within a minute. */
const LIVE_POLLER_MS = 90_000;

export async function databaseIdOf(db: Knex): Promise<string> {
  const row = (await db.raw('SELECT database_id::text AS id FROM public.tongchou_identity')) as { rows: { id: string }[] };
  const id = row.rows[0]?.id;
  if (!id) throw new Error('the database has no tongchou identity row (public.tongchou_identity): run the migrations');
  return id;
}

/** The worker identity Temporal shows for our pollers: the SDK's default plus the database. */
export const workerIdentity = (databaseId: string): string => `${process.pid}@${os.hostname()} db:${databaseId}`;

export const databaseOfWorkerIdentity = (identity: string | null | undefined): string | undefined => /\bdb:([0-9a-f-]{36})\b/.exec(identity ?? '')?.[1];

const SAME_DATABASE_HINT = 'Point every worker and client of these task queues at the same DATABASE_URL, or give them task queues of their own.';

/** Why an activity refused: its workflow was started for another database than this worker's. */
export function activityMismatchMessage(activity: string, workflowId: string, expected: string, ours: string): string {
  return `activity ${activity} of workflow ${workflowId} refused: the workflow was started on database ${expected}, but this worker's DATABASE_URL is database ${ours}; nothing was written. ${SAME_DATABASE_HINT}`;
}

interface PollerInfo {
  identity?: string | null;
  lastAccessTime?: { seconds?: number | Long | null; nanos?: number | null } | null;
}
interface Long {
  toNumber(): number;
}
interface TaskQueueService {
  describeTaskQueue(req: { namespace: string; taskQueue: { name: string }; taskQueueType: number }): Promise<{ pollers?: PollerInfo[] | null }>;
}

const accessedMs = (p: PollerInfo): number => {
  const s = p.lastAccessTime?.seconds;
  return s === null || s === undefined ? 0 : (typeof s === 'number' ? s : s.toNumber()) * 1000;
};

/** The live pollers of the task queues whose worker identity names another database. */
export async function foreignPollers(service: TaskQueueService, namespace: string, queues: readonly string[], databaseId: string, now = Date.now()): Promise<{ queue: string; identity: string; databaseId: string }[]> {
  // both queues, workflow and activity pollers, at once: this is on every command's start-up path
  const asked = queues.flatMap((queue) => [1 /* workflow */, 2 /* activity */].map(async (taskQueueType) => ({ queue, res: await service.describeTaskQueue({ namespace, taskQueue: { name: queue }, taskQueueType }) })));
  const found: { queue: string; identity: string; databaseId: string }[] = [];
  for (const { queue, res } of await Promise.all(asked)) {
    for (const p of res.pollers ?? []) {
      const theirs = databaseOfWorkerIdentity(p.identity);
      if (theirs && theirs !== databaseId && now - accessedMs(p) < LIVE_POLLER_MS && !found.some((f) => f.identity === p.identity)) {
        found.push({ queue, identity: p.identity!, databaseId: theirs });
      }
    }
  }
  return found;
}

/** Refuses (throws) when a live worker of the task queues is on another database. */
export async function assertQueuesShareDatabase(service: TaskQueueService, namespace: string, queues: readonly string[], databaseId: string, who: 'worker' | 'client'): Promise<void> {
  const [foreign] = await foreignPollers(service, namespace, queues, databaseId);
  if (!foreign) return;
  const ours = who === 'worker' ? "this worker's" : "this client's";
  throw new Error(
    `refusing to start the ${who}: task queue ${foreign.queue} is polled by worker ${foreign.identity.replace(/ db:.*/, '')} on database ${foreign.databaseId}, but ${ours} DATABASE_URL is database ${databaseId}; one run would be split across two databases. ${SAME_DATABASE_HINT}`,
  );
}

export const databaseIdOfHeaders = (headers: Readonly<Record<string, Payload>>): string | undefined => {
  const h = headers[DATABASE_ID_HEADER];
  return h ? defaultPayloadConverter.fromPayload<string>(h) : undefined;
};

/** Client interceptors that put the client's database id on every workflow start, signal and
 * update, and on the workflows schedules start. */
export function databaseIdInterceptors(databaseId: string): { workflow: WorkflowClientInterceptor[]; schedule: ScheduleClientInterceptor[] } {
  const payload = defaultPayloadConverter.toPayload(databaseId);
  const withId = <T extends { headers: Record<string, Payload> }>(input: T): T => ({ ...input, headers: { ...input.headers, [DATABASE_ID_HEADER]: payload } });
  return {
    workflow: [
      {
        start: (input, next) => next(withId(input)),
        startWithDetails: (input, next) => next(withId(input)),
        signalWithStart: (input, next) => next(withId(input)),
        signal: (input, next) => next(withId(input)),
        startUpdate: (input, next) => next(withId(input)),
        startUpdateWithStart: (input, next) => next({ ...input, workflowStartHeaders: { ...input.workflowStartHeaders, [DATABASE_ID_HEADER]: payload }, updateHeaders: { ...input.updateHeaders, [DATABASE_ID_HEADER]: payload } }),
      },
    ],
    schedule: [{ create: (input, next) => next(withId(input)) }],
  };
}

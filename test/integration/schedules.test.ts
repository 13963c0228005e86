/**
 * Temporal Schedules for the feeds: created and updated idempotently from the configuration
 * (Asia/Shanghai, overlap policy, catch-up window, a pause survives a re-apply), triggered, a
 * second trigger while a run is still going skipped or buffered by the overlap policy, and a
 * missed night back-filled — that run stands for its own night.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { cstDate } from '../../src/feeds/calendar';
import { loadFeedConfig } from '../../src/feeds/config';
import { applySchedules, fullScheduleId, listSchedules, triggerSchedule } from '../../src/feeds/schedules';
import { renderSchedules } from '../../src/cli/commands/schedules';
import { enqueueOutbox } from '../../src/funds/outbox';
import { closePeers, PullPeer, PushPeer } from '../support/agency-peers';
import { createTestDatabase, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

const prefix = `test-${crypto.randomBytes(3).toString('hex')}`;
const DEMO_MAPPING = path.resolve(__dirname, '../../mappings/demo/430100-changsha.yaml');

let tdb: TestDatabase;
let temporal: TestTemporal;
let client: Client;
let configPath: string;

const projectsIn = new PullPeer<Record<string, unknown>>('projects', { kind: 'none' }, 'project_id', 'updated_at');
const downPeer = new PushPeer('never-up', { kind: 'none' });

const config = (projectsAt: string) => `
feeds:
  - id: projects
    agency: housing
    direction: in
    schema: construction_project
    transport: { kind: https, url: "${projectsIn.url}", timeout: 500ms, retries: 0 }
    schedule: { at: "${projectsAt}", overlap: skip, catchup_window: 1d }
  - id: slow-skip
    agency: union
    direction: out
    schema: recognised_injury
    transport: { kind: https, url: "${downPeer.url}", timeout: 200ms, retries: 0 }
    delivery: { max_failures: 1000, initial_backoff: 500ms, max_backoff: 500ms, run_budget: 3s }
    schedule: { at: "03:00", overlap: skip }
  - id: slow-buffer
    agency: work_safety
    direction: out
    schema: injury_statistics
    options: { first_month: "2099-01" }
    transport: { kind: https, url: "${downPeer.url}", timeout: 200ms, retries: 0 }
    delivery: { max_failures: 1000, initial_backoff: 500ms, max_backoff: 500ms, run_budget: 3s }
    schedule: { cron: "0 4 2 * *", overlap: buffer_one, catchup_window: 12h }
  - id: unscheduled
    agency: union
    direction: out
    schema: injury_statistics
    options: { first_month: "2099-01" }
    transport: { kind: files, dir: out }
city_syncs:
  - id: changsha
    mapping: ${DEMO_MAPPING}
    schedule: { at: "23:30", catchup_window: 6h }
`;

const apply = () => applySchedules(client, loadFeedConfig(configPath, { requireSecrets: false }), { taskQueues: temporal.taskQueues, prefix });
const SCHEDULES = ['feed/projects', 'feed/slow-skip', 'feed/slow-buffer', 'city-sync/changsha'];
/** apply's answer: the schedules in configuration order, each with its outcome */
const outcomes = (...o: string[]) => SCHEDULES.map((id, i) => ({ scheduleId: `${prefix}/${id}`, outcome: o[i] }));
const handle = (short: string) => client.schedule.getHandle(fullScheduleId(short, prefix));

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const runsOf = (feedId: string) =>
  tdb.db('pipeline.feed_run').where({ feed_id: feedId }).orderBy('started_at').select('status', 'nominal_time', 'started_at', 'finished_at') as Promise<
    { status: string; nominal_time: Date; started_at: Date; finished_at: Date | null }[]
  >;

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  client = temporal.client;
  await projectsIn.up();
  await downPeer.up();
  await downPeer.down(); // its port, with nothing listening: a peer down for every run
  const dir = tmpDir('schedules');
  configPath = path.join(dir, 'feeds.yaml');
  fs.writeFileSync(configPath, config('02:00'));
  // something to deliver, so the slow feeds keep retrying for their whole budget
  await enqueueOutbox(tdb.db, 'slow-skip', 'slow-skip/1', { n: 1 });
  await enqueueOutbox(tdb.db, 'slow-buffer', 'slow-buffer/1', { n: 1 });
});

afterAll(async () => {
  for (const s of await listSchedules(client, prefix).catch(() => [])) await client.schedule.getHandle(s.scheduleId).delete().catch(() => undefined);
  await closePeers(projectsIn, downPeer);
  await temporal?.close();
  await tdb?.drop();
});

test('apply creates a schedule per scheduled feed and sync, in Shanghai time; again, it changes nothing', async () => {
  expect(await apply()).toEqual(outcomes('created', 'created', 'created', 'created'));
  const d = await handle('feed/projects').describe();
  expect(d.spec.timezone).toBe('Asia/Shanghai');
  expect(d.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 86_400_000 });
  expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'feedRun', taskQueue: temporal.taskQueues.main, args: [{ configPath, feedId: 'projects' }] });
  // the next run is 02:00 in Shanghai, 18:00 UTC
  expect(d.info.nextActionTimes[0]!.toISOString()).toMatch(/T18:00:00\.\d{3}Z$/);
  const sync = await handle('city-sync/changsha').describe();
  expect(sync.action).toMatchObject({ workflowType: 'citySync', args: [{ syncId: 'changsha', taskQueues: temporal.taskQueues }] });
  expect(sync.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 6 * 3_600_000 });
  expect((await handle('feed/slow-buffer').describe()).policies.overlap).toBe('BUFFER_ONE');

  expect(await apply()).toEqual(outcomes('unchanged', 'unchanged', 'unchanged', 'unchanged'));
  const listed = await waitFor('the schedules to be listed', async () => {
    const l = await listSchedules(client, prefix);
    return l.length === 4 && l;
  });
  expect(listed.find((s) => s.scheduleId.endsWith('/feed/projects'))).toMatchObject({ cron: '0 2 * * *', timezone: 'Asia/Shanghai', paused: false });
  // the next run of a 02:00 Asia/Shanghai cron, listed in Asia/Shanghai (not as 18:00 UTC)
  const projects = listed.find((s) => s.scheduleId.endsWith('/feed/projects'))!;
  expect(projects.nextRuns[0]).toMatch(/^\d{4}-\d\d-\d\dT02:00:00\+08:00$/);
  expect(renderSchedules([projects])).toMatch(/\d{4}-\d\d-\d\d 02:00:00/);
});

test('a changed time updates only that schedule, and keeps an operator pause', async () => {
  await handle('feed/projects').pause('agency maintenance');
  fs.writeFileSync(configPath, config('02:15'));
  expect(await apply()).toEqual(outcomes('updated', 'unchanged', 'unchanged', 'unchanged'));
  const d = await handle('feed/projects').describe();
  expect(d.state).toMatchObject({ paused: true, note: 'agency maintenance' });
  expect(d.info.nextActionTimes.length === 0 || d.info.nextActionTimes[0]!.toISOString().endsWith('T18:15:00.000Z')).toBe(true);
  await handle('feed/projects').unpause('back');
  expect((await handle('feed/projects').describe()).info.nextActionTimes[0]!.toISOString()).toMatch(/T18:15:00\.000Z$/);
});

test('trigger runs the feed now', async () => {
  projectsIn.put({ project_id: 'XM-1', name: '项目', contractor_name: '某建工', contract_value: '100.00', division_code: '430104', updated_at: '2026-11-01T00:00:00Z' });
  const before = Date.now();
  await triggerSchedule(client, fullScheduleId('feed/projects', prefix));
  const [run] = await waitFor('the triggered run', async () => {
    const r = await runsOf('projects');
    return r.length === 1 && r[0]!.status === 'succeeded' && r;
  });
  expect(run!.nominal_time.getTime()).toBeGreaterThanOrEqual(before - 2_000);
  expect(await tdb.db('province.construction_project').count('* as n').first()).toEqual({ n: '1' });
});

test('overlap: skip drops a trigger while a run is going; buffer_one runs it after', async () => {
  const trigger = (short: string) => triggerSchedule(client, fullScheduleId(short, prefix));
  await trigger('feed/slow-skip');
  await trigger('feed/slow-buffer');
  await waitFor('the first runs', async () => (await runsOf('slow-skip')).length === 1 && (await runsOf('slow-buffer')).length === 1);
  // runs are named by the second they start: the second trigger must come in another second
  await new Promise((r) => setTimeout(r, 1_100));
  await trigger('feed/slow-skip');
  await trigger('feed/slow-buffer');

  // both buffered runs finish, one after the other; the skipped trigger never ran
  const buffered = await waitFor('both buffered runs', async () => {
    const r = await runsOf('slow-buffer');
    return r.length === 2 && r.every((x) => x.status === 'succeeded') && r;
  }, 30_000);
  expect(buffered[1]!.started_at.getTime()).toBeGreaterThanOrEqual(buffered[0]!.finished_at!.getTime());
  await waitFor('the slow run to end', async () => (await runsOf('slow-skip')).every((r) => r.status !== 'running'));
  expect(await runsOf('slow-skip')).toHaveLength(1);
  expect((await handle('feed/slow-skip').describe()).info.numActionsSkippedOverlap).toBe(1);
  // the peer was down every time: the delivery still waits, it was never lost or parked
  expect(await tdb.db('pipeline.outbox').where({ feed: 'slow-skip' }).first('status')).toEqual({ status: 'pending' });
}, 60_000);

test('back-filling a missed night runs it for that night', async () => {
  // yesterday in Shanghai: 00:00 to 23:59, one 02:15 run
  const start = new Date(Date.parse(`${cstDate(new Date())}T00:00:00+08:00`) - 86_400_000);
  const end = new Date(start.getTime() + 86_400_000 - 60_000);
  await handle('feed/projects').backfill({ start, end });
  const missed = new Date(start.getTime() + (2 * 60 + 15) * 60_000);
  const runs = await waitFor('the back-filled run', async () => {
    const r = await runsOf('projects');
    return r.length === 2 && r[1]!.status === 'succeeded' && r;
  });
  expect(runs[1]!.nominal_time.toISOString()).toBe(missed.toISOString());
});

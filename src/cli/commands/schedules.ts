/**
 * `tongchou schedules …`: the Temporal Schedules that run the feeds and city syncs every night —
 * applied idempotently from the feed configuration, listed, paused and resumed, triggered now,
 * and back-filled for nights that were missed.
 */
import { Option, type Command } from 'commander';
import { TASK_QUEUES } from '../../config';
import { cstDateTime } from '../../feeds/calendar';
import { FeedConfigError, loadFeedConfig, OVERLAP_POLICIES } from '../../feeds/config';
import { applySchedules, DEFAULT_SCHEDULE_PREFIX, fullScheduleId, listSchedules, overlapPolicy, scheduleProblems, triggerSchedule, type ScheduleListing } from '../../feeds/schedules';
import { printResult, withRuntime } from '../program';
import { renderTable } from '../text-table';

const prefixOption = () => new Option('--prefix <prefix>', 'schedule ids start with it').default(DEFAULT_SCHEDULE_PREFIX);
const overlapOption = (fallback?: string) => {
  const option = new Option('--overlap <policy>', `what to do when a run is still going${fallback ? '' : " (default: the schedule's own policy)"}`).choices([...OVERLAP_POLICIES]);
  return fallback ? option.default(fallback) : option;
};
type OverlapName = (typeof OVERLAP_POLICIES)[number];

function instant(text: string, what: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`${what}: not a date-time: ${text}`);
  return d;
}

/** A listed time as people read it: 'YYYY-MM-DD HH:MM:SS' in China Standard Time. */
const shown = (iso: string | undefined): string => (iso ? cstDateTime(new Date(iso)) : '—');

export function renderSchedules(list: readonly ScheduleListing[]): string {
  if (list.length === 0) return 'no schedules';
  return renderTable(
    ['schedule', 'cron (Asia/Shanghai)', 'state', 'overlap', 'next run (Asia/Shanghai)', 'last run (Asia/Shanghai)', 'running'],
    list.map((s) => [
      s.scheduleId,
      s.cron ?? '?',
      s.paused ? `paused${s.note ? `: ${s.note}` : ''}` : 'active',
      s.overlap.toLowerCase(),
      shown(s.nextRuns[0]),
      shown(s.recentRuns[s.recentRuns.length - 1]?.scheduledAt),
      s.running.length,
    ]),
    { numericFrom: 6 },
  );
}

export function registerScheduleCommands(program: Command): void {
  const schedules = program.command('schedules').description('Temporal Schedules of the feeds and city syncs');
  const run = (fn: Parameters<typeof withRuntime>[2]) => withRuntime(program, { withWorkers: false }, fn);

  schedules
    .command('apply')
    .description('create or update a schedule for every scheduled feed and city sync of a configuration (idempotent)')
    .argument('<config>', 'the feed configuration (mappings/feeds/*.yaml)')
    .addOption(prefixOption())
    .option('--prune', 'delete schedules under the prefix that the configuration no longer has')
    .option('--json', 'print as JSON')
    .action(async (config: string, o: { prefix: string; prune?: boolean; json?: boolean }) => {
      // what is scheduled runs unattended at night: refuse now, not at 02:00, if a secret it needs is missing
      const loaded = loadFeedConfig(config, { env: process.env, requireSecrets: true });
      const problems = scheduleProblems(loaded);
      if (problems.length) throw new FeedConfigError(loaded.file, problems);
      await run(async (rt) => {
        const results = await applySchedules(rt.client, loaded, { taskQueues: TASK_QUEUES, prefix: o.prefix, prune: o.prune });
        printResult(o.json, results, () => results.map((r) => `${r.outcome.padEnd(9)} ${r.scheduleId}`).join('\n') || 'nothing scheduled');
      });
    });

  schedules
    .command('list')
    .description('schedules with their state, next and last runs')
    .addOption(prefixOption())
    .option('--json', 'print as JSON')
    .action(async (o: { prefix: string; json?: boolean }) => {
      await run(async (rt) => {
        const list = await listSchedules(rt.client, o.prefix);
        printResult(o.json, list, () => renderSchedules(list));
      });
    });

  for (const [name, description] of [
    ['pause', 'stop starting runs (running ones finish)'],
    ['resume', 'start runs again'],
  ] as const) {
    schedules
      .command(name)
      .description(description)
      .argument('<schedule>', 'schedule id, e.g. feed/finance-receipts or tongchou/feed/finance-receipts')
      .addOption(prefixOption())
      .option('--note <text>', 'why, for the next person')
      .action(async (id: string, o: { prefix: string; note?: string }) => {
        await run(async (rt) => {
          const handle = rt.client.schedule.getHandle(fullScheduleId(id, o.prefix));
          await (name === 'pause' ? handle.pause(o.note) : handle.unpause(o.note));
          process.stdout.write(`${handle.scheduleId} ${name === 'pause' ? 'paused' : 'resumed'}\n`);
        });
      });
  }

  schedules
    .command('trigger')
    .description('start a run now')
    .argument('<schedule>', 'schedule id')
    .addOption(prefixOption())
    .addOption(overlapOption())
    .action(async (id: string, o: { prefix: string; overlap?: OverlapName }) => {
      await run(async (rt) => {
        const scheduleId = fullScheduleId(id, o.prefix);
        await triggerSchedule(rt.client, scheduleId, o.overlap && overlapPolicy(o.overlap));
        process.stdout.write(`${scheduleId} triggered\n`);
      });
    });

  schedules
    .command('backfill')
    .description('take the runs the schedule would have taken between two times (missed nights), each for its own night')
    .argument('<schedule>', 'schedule id')
    .requiredOption('--from <time>', 'start (ISO date-time, e.g. 2026-11-28T00:00:00+08:00)')
    .requiredOption('--to <time>', 'end (ISO date-time)')
    .addOption(prefixOption())
    .addOption(overlapOption('buffer_all'))
    .action(async (id: string, o: { from: string; to: string; prefix: string; overlap: OverlapName }) => {
      const start = instant(o.from, '--from');
      const end = instant(o.to, '--to');
      if (end <= start) throw new Error('--to must be after --from');
      await run(async (rt) => {
        const handle = rt.client.schedule.getHandle(fullScheduleId(id, o.prefix));
        await handle.backfill({ start, end, overlap: overlapPolicy(o.overlap) });
        process.stdout.write(`${handle.scheduleId} back-filled ${cstDateTime(start)} … ${cstDateTime(end)} (Asia/Shanghai)\n`);
      });
    });
}

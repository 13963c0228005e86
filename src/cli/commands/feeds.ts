/**
 * `tongchou feeds …`: how the agency feeds and city syncs stand, a run by hand, and the parked
 * deliveries a person decides to try again.
 */
import type { Command } from 'commander';
import { TASK_QUEUES } from '../../config';
import { loadFeedConfig, outboxFeedOf, type LoadedFeedConfig } from '../../feeds/config';
import { unpark } from '../../feeds/outbox';
import { feedStatuses, type FeedStatus } from '../../feeds/status';
import { citySync } from '../../../workflows/city-sync';
import { feedRun } from '../../../workflows/feed-run';
import { printResult, withRuntime } from '../program';
import { renderTable, wrapText } from '../text-table';
import { cstDateTime } from '../../feeds/calendar';

/** The CLI is the edge: it may read the environment, and needs no secrets to show status. */
const load = (file: string): LoadedFeedConfig => loadFeedConfig(file, { env: process.env, requireSecrets: false });

const watermarkText = (w: unknown): string => {
  if (w === null || w === undefined) return '—';
  if (typeof w === 'object' && w !== null && 'cursor' in w) return String((w as { cursor: unknown }).cursor ?? '—');
  if (typeof w === 'object' && w !== null && 'month' in w) return String((w as { month: unknown }).month);
  return JSON.stringify(w);
};

const local = (iso: string | null | undefined): string | null => (iso ? cstDateTime(new Date(iso)) : null);

/** The feeds as a table (times in Asia/Shanghai), then every error in full, wrapped to `columns`. */
export function renderFeedStatus(statuses: readonly FeedStatus[], columns = 100): string {
  const table = renderTable(
    ['feed', 'agency', 'dir', 'last success (Asia/Shanghai)', 'last run', 'watermark', 'backlog', 'awaiting ack', 'parked', 'invalid in'],
    statuses.map((s) => [
      s.id,
      s.agency ?? 'city',
      s.direction ?? '',
      local(s.lastSuccess) ?? 'never',
      s.lastRun ? `${s.lastRun.status}${s.lastRun.error ? ' (error below)' : s.lastRun.warnings.length ? ' (warning below)' : ''}` : '—',
      watermarkText(s.watermark),
      s.backlog ?? '—',
      s.awaitingAcknowledgement,
      s.parked,
      s.invalidRecords,
    ]),
    { numericFrom: 6 },
  );
  const wrapped = (text: string) => wrapText(text, columns - 2, '      ').map((l, i) => (i === 0 ? `  ${l}` : l));
  const errors = statuses.flatMap((s) => {
    const run = s.lastRun;
    if (!run) return [];
    return [...(run.error ? [`${s.id}, run of ${local(run.startedAt)}: ${run.error}`] : []), ...run.warnings.map((w) => `${s.id}, run of ${local(run.startedAt)}: warning: ${w}`)].flatMap(wrapped);
  });
  const parked = statuses.flatMap((s) => s.parkedDeliveries.flatMap((p) => wrapped(`${s.id}  ${p.key}  after ${p.attempts} attempts: ${p.lastError ?? ''}`)));
  return [
    table,
    ...(errors.length ? ['', 'errors and warnings of the last runs:', ...errors] : []),
    ...(parked.length ? ['', 'parked deliveries (tongchou feeds unpark <config> <feed>):', ...parked] : []),
  ].join('\n');
}

export function registerFeedCommands(program: Command): void {
  const feeds = program.command('feeds').description('agency feeds and nightly city syncs');

  feeds
    .command('status')
    .description('per feed: last success, watermark, backlog and parked deliveries')
    .argument('<config>', 'the feed configuration (mappings/feeds/*.yaml)')
    .option('--parked-limit <n>', 'parked deliveries listed per feed', (v) => Number(v), 20)
    .option('--json', 'print as JSON')
    .action(async (config: string, o: { parkedLimit: number; json?: boolean }) => {
      const loaded = load(config);
      await withRuntime(program, { withWorkers: false }, async (rt) => {
        const statuses = await feedStatuses(rt.db, loaded, { parkedLimit: o.parkedLimit });
        printResult(o.json, statuses, () => renderFeedStatus(statuses, process.stdout.columns || 100));
      });
    });

  feeds
    .command('run')
    .description('run one feed or city sync now and wait for it')
    .argument('<config>', 'the feed configuration')
    .argument('<id>', 'feed or city sync id')
    .option('--as-of <time>', 'the time the run stands for (ISO; default now)')
    .option('--no-local-worker', 'do not run workers in this process')
    .option('--json', 'print the result as JSON')
    .action(async (config: string, id: string, o: { asOf?: string; localWorker: boolean; json?: boolean }) => {
      const loaded = load(config);
      const isSync = loaded.config.city_syncs.some((s) => s.id === id);
      if (!isSync && !loaded.config.feeds.some((f) => f.id === id)) throw new Error(`${config}: no feed or city sync ${id}`);
      await withRuntime(program, { withWorkers: o.localWorker }, async (rt) => {
        const workflowId = `tongchou/manual/${id}/${o.asOf ?? new Date().toISOString()}`;
        const result = isSync
          ? await rt.client.workflow.execute(citySync, { workflowId, taskQueue: TASK_QUEUES.main, args: [{ configPath: loaded.file, syncId: id, taskQueues: TASK_QUEUES, nominalTime: o.asOf }] })
          : await rt.client.workflow.execute(feedRun, { workflowId, taskQueue: TASK_QUEUES.main, args: [{ configPath: loaded.file, feedId: id, nominalTime: o.asOf }] });
        // a night that brought nothing says so, on every output
        for (const w of 'warnings' in result ? result.warnings : []) process.stderr.write(`warning: ${id}: ${w}\n`);
        printResult(o.json, result, () => JSON.stringify(result, null, 2));
      });
    });

  feeds
    .command('unpark')
    .description('send parked deliveries of a feed again (all, or the given keys)')
    .argument('<config>', 'the feed configuration')
    .argument('<feed>', 'outbound feed id')
    .option('--key <key...>', 'only these idempotency keys')
    .action(async (config: string, feed: string, o: { key?: string[] }) => {
      const target = load(config).config.feeds.find((f) => f.id === feed);
      if (target?.direction !== 'out') throw new Error(`${config}: no outbound feed ${feed}`);
      await withRuntime(program, { withWorkers: false }, async (rt) => {
        const n = await unpark(rt.db, outboxFeedOf(target), o.key);
        process.stdout.write(`${n} deliveries of ${feed} pending again; the next run sends them\n`);
      });
    });

  feeds
    .command('cross-check')
    .description('the latest work-safety cross-check: casualty accidents without an injury case, cases citing unreported accidents')
    .argument('<config>', 'the feed configuration')
    .argument('<feed>', 'the accident report feed id')
    .option('--json', 'print as JSON')
    .action(async (config: string, feed: string, o: { json?: boolean }) => {
      load(config);
      await withRuntime(program, { withWorkers: false }, async (rt) => {
        const latest = await rt.db('pipeline.accident_cross_check').where({ feed_id: feed }).max('as_of as d').first();
        const rows = latest?.d
          ? ((await rt.db('pipeline.accident_cross_check').where({ feed_id: feed, as_of: latest.d }).orderBy(['finding', 'id']).select('finding', 'accident_report_id', 'injury_case_key', 'city_code', 'detail')) as {
              finding: string;
              accident_report_id: string | null;
              injury_case_key: string | null;
              city_code: string | null;
              detail: Record<string, unknown>;
            }[])
          : [];
        printResult(o.json, { asOf: latest?.d ?? null, findings: rows }, () =>
          rows.length
            ? renderTable(['finding', 'accident report', 'injury case', 'city', 'detail'], rows.map((r) => [r.finding, r.accident_report_id ?? '', r.injury_case_key ?? '', r.city_code ?? '', JSON.stringify(r.detail)]), { numericFrom: 99 })
            : 'no findings',
        );
      });
    });
}

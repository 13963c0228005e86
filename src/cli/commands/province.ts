/**
 * Operating a province-wide migration:
 *   tongchou migrate --manifest <province.yaml> [--city <code>…] [--source <id>…]   start or attach, watch
 *   tongchou status | pause | resume | cancel   [--manifest <file> | --province <code>]
 *   tongchou report [--json] [--xlsx out.xlsx]  the latest province report
 * The province is the manifest's, else --province, else the configured one (TONGCHOU_PROVINCE).
 */
import type { Command } from 'commander';
import { TASK_QUEUES } from '../../config';
import { loadManifest } from '../../manifest/load-manifest';
import { renderProvinceReportText } from '../../report/render-text';
import { currentProvinceReport, latestProvinceReport } from '../../report/store';
import { writeProvinceReportWorkbook } from '../../report/workbook';
import type { Runtime } from '../../runtime';
import { provinceMigration, provinceWorkflowId } from '../../../workflows/province-migration';
import { pauseSignal, resumeSignal } from '../../../workflows/signals';
import { failureText } from '../failure-text';
import { printResult, printTemporalUi, withRuntime } from '../program';
import { readProgress, watchProgress } from '../progress';
import { headline, plainLines, progressPrinter } from '../progress-render';

interface Which {
  manifest?: string;
  province?: string;
}

const collect = (v: string, all: string[] = []) => [...all, v];

function provinceCode(rt: Runtime, o: Which): string {
  if (o.manifest) return loadManifest(o.manifest).manifest.province.code;
  return o.province ?? rt.config.provinceCode;
}

function which(cmd: Command): Command {
  return cmd.option('--manifest <file>', 'the province manifest').option('--province <code>', 'the 2-digit province code');
}

export interface MigrateOptions {
  manifest: string;
  city?: string[];
  source?: string[];
  batchRows?: number;
  /** --allow-path, absolute */
  allowPath?: string[];
  detach?: boolean;
  json?: boolean;
}

/** Starts the province run, or attaches to the one in progress, and shows its progress to the end. */
export async function migrateProvince(rt: Runtime, o: MigrateOptions): Promise<void> {
  const loaded = loadManifest(o.manifest);
  const workflowId = provinceWorkflowId(loaded.manifest.province.code);
  const running = await rt.client.workflow
    .getHandle(workflowId)
    .describe()
    .then((d) => d.status.name === 'RUNNING')
    .catch(() => false);
  if (running && (o.city || o.source)) throw new Error(`${workflowId} is running: wait for it to end (or cancel it) before re-running single cities or sources`);
  if (running) process.stderr.write(`attaching to the running ${workflowId}\n`);
  else {
    await rt.client.workflow.start(provinceMigration, {
      workflowId,
      taskQueue: TASK_QUEUES.main,
      args: [{ manifestPath: loaded.file, taskQueues: TASK_QUEUES, onlyCities: o.city, onlySources: o.source, batchRows: o.batchRows, ...(o.allowPath?.length ? { allowPaths: o.allowPath } : {}) }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }
  printTemporalUi(rt, workflowId);
  if (o.detach) {
    process.stdout.write(`${workflowId} started; follow it with \`tongchou status --manifest ${o.manifest}\`\n`);
    return;
  }
  const show = o.json ? () => undefined : progressPrinter(process.stdout, !!process.stdout.isTTY);
  const last = await watchProgress(rt.client, rt.db, workflowId, show);
  const report = await latestProvinceReport(rt.db, loaded.manifest.province.code);
  if (last?.status !== 'COMPLETED') {
    const failure = await rt.client.workflow.getHandle(workflowId).result().then(() => undefined, (err: Error) => failureText(err));
    throw new Error(`${workflowId} ${last?.status.toLowerCase() ?? 'not found'}${failure ? `: ${failure}` : ''}`);
  }
  printResult(o.json, report, () => (report ? renderProvinceReportText(report) : 'no report'));
}

export function registerProvinceCommands(program: Command): void {
  which(program.command('status').description("a province run's progress: per city and source the stage, rows, rate, time left and rejects"))
    .option('--watch', 'follow the run live until it ends (redrawn in place on a terminal, a line per refresh otherwise)')
    .option('--interval <ms>', 'with --watch: time between refreshes', (v) => Number(v), 1_000)
    .option('--json', 'print the progress as JSON (with --watch: one JSON line per refresh)')
    .action(async (o: Which & { json?: boolean; watch?: boolean; interval: number }) => {
      if (!(o.interval >= 100 && o.interval <= 60_000)) throw new Error('--interval: between 100 and 60000 ms');
      // attach and read: no workers (no workflow bundle), no migrations beyond a check
      await withRuntime(program, { migrations: 'check' }, async (rt) => {
        const workflowId = provinceWorkflowId(provinceCode(rt, o));
        printTemporalUi(rt, workflowId);
        if (o.watch) {
          const show = o.json ? (v: unknown) => void process.stdout.write(`${JSON.stringify(v)}\n`) : progressPrinter(process.stdout, !!process.stdout.isTTY, undefined, true);
          // a watch started before the run waits for it
          await watchProgress(rt.client, rt.db, workflowId, show, o.interval, {
            untilStarted: true,
            onWaiting: () => process.stderr.write(`no ${workflowId} yet: waiting for it to start (Ctrl-C to stop)\n`),
          });
          return;
        }
        const view = await readProgress(rt.client, rt.db, workflowId);
        printResult(o.json, view, () => (view ? [headline(view), ...plainLines(view).map((l) => `  ${l}`)].join('\n') : 'no province run'));
      });
    });

  which(program.command('report').description('the latest province report (the sum of its city reports), as text, JSON or a workbook'))
    .option('--json', 'print the report as JSON')
    .option('--xlsx <file>', 'write the report as a workbook: a province summary and a sheet per city')
    .action(async (o: Which & { json?: boolean; xlsx?: string }) => {
      await withRuntime(program, {}, async (rt) => {
        // the counts as they are now: steward decisions since the run re-accounted their sources
        const report = await currentProvinceReport(rt.db, provinceCode(rt, o));
        if (!report) throw new Error('no province report yet: run `tongchou migrate --manifest <province.yaml>`');
        if (o.xlsx) process.stderr.write(`wrote ${writeProvinceReportWorkbook(o.xlsx, report)}\n`);
        if (!o.xlsx || o.json) printResult(o.json, report, () => renderProvinceReportText(report));
      });
    });

  const signal = (name: 'pause' | 'resume', description: string) =>
    which(program.command(name).description(description))
      .option('--city <code>', 'only this city')
      .action(async (o: Which & { city?: string }) => {
        await withRuntime(program, {}, async (rt) => {
          const id = provinceWorkflowId(provinceCode(rt, o));
          const target = o.city ? `${id}/city/${o.city}` : id;
          await rt.client.workflow.getHandle(target).signal(name === 'pause' ? pauseSignal : resumeSignal);
          process.stdout.write(`${name} sent to ${target}\n`);
        });
      });
  signal('pause', 'pause a province run (or one city): batches in flight finish, no new ones start');
  signal('resume', 'resume a paused province run (or one city) where it stopped');

  which(program.command('cancel').description('cancel a province run and its running cities (what has loaded stays loaded)')).action(async (o: Which) => {
    await withRuntime(program, {}, async (rt) => {
      const id = provinceWorkflowId(provinceCode(rt, o));
      await rt.client.workflow.getHandle(id).cancel();
      process.stdout.write(`cancellation requested for ${id}\n`);
    });
  });
}

/**
 * `migrate --manifest`: with workers in this process (the default) the manifest's
 * activities_per_worker apply to them — set where configuration is read, at start-up.
 */
export async function migrateWithManifest(program: Command, o: MigrateOptions & { localWorker: boolean }): Promise<void> {
  const perWorker = loadManifest(o.manifest).manifest.concurrency.activities_per_worker;
  if (perWorker.main) process.env.TONGCHOU_MAIN_CONCURRENCY = String(perWorker.main);
  if (perWorker.extract) process.env.TONGCHOU_EXTRACT_CONCURRENCY = String(perWorker.extract);
  await withRuntime(program, { withWorkers: o.localWorker }, (rt) => migrateProvince(rt, o));
}

/** The `migrate` command's province mode (its city mode is in ./migration.ts). */
export function addManifestOptions(migrate: Command): Command {
  return migrate
    .option('--manifest <file>', 'a province manifest: migrate every city of it (starts the run, or attaches to the one in progress)')
    .option('--city <code>', 'with --manifest: re-run only this city (repeatable)', collect)
    .option('--source <id>', 'with --manifest: re-run only this mapping source (repeatable)', collect)
    .option('--detach', 'with --manifest: start the run and return (a worker fleet carries it)');
}

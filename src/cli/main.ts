/**
 * tongchou — command line. Global options: --database-url / DATABASE_URL, --temporal-address /
 * TEMPORAL_ADDRESS; every command that prints a result takes --json.
 */
import { Command, Option } from 'commander';
import { loadConfig, type Config } from '../config';
import { createLogger, type Logger } from '../log';
import { startRuntime, type Runtime, type RuntimeOptions } from '../runtime';
import { renderCityReport } from './city-report';
import { runDemo } from './commands/demo';
import { runCityMigration } from './run-city';

const program = new Command();
program
  .name('tongchou')
  .description('统筹 — migrate city work-injury insurance data into the provincial pool')
  .addOption(new Option('--database-url <url>', 'PostgreSQL to write to (default: an embedded server under the data directory)').env('DATABASE_URL'))
  .addOption(new Option('--temporal-address <host:port>', 'Temporal to run on (default: a local dev server)').env('TEMPORAL_ADDRESS'))
  .addOption(new Option('--data-dir <dir>', 'where local services keep their state').env('TONGCHOU_DATA_DIR'))
  .addOption(new Option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent').env('LOG_LEVEL'));

function setup(): { config: Config; log: Logger } {
  const o = program.opts<{ databaseUrl?: string; temporalAddress?: string; dataDir?: string; logLevel?: string }>();
  const config = loadConfig({ databaseUrl: o.databaseUrl, temporalAddress: o.temporalAddress, dataDir: o.dataDir, logLevel: o.logLevel ?? 'warn' });
  return { config, log: createLogger(config.logLevel) };
}

/** Runs `fn` with services up; Ctrl-C or SIGTERM stops everything cleanly. */
async function withRuntime(opts: RuntimeOptions, fn: (rt: Runtime) => Promise<void>): Promise<void> {
  const { config, log } = setup();
  const rt = await startRuntime(config, log, opts);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping…\n`);
    void rt.close().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await fn(rt);
  } finally {
    if (!stopping) await rt.close();
  }
}

program
  .command('demo')
  .description('generate a demo province and migrate it end to end on the local defaults')
  .option('--rows <n>', 'data rows per demo file', (v) => Number(v), 2_000)
  .option('--seed <n>', 'seed of the generator', (v) => Number(v), 2017)
  .option('--json', 'print the report as JSON')
  .action(async (o: { rows: number; seed: number; json?: boolean }) => {
    await withRuntime({ withWorkers: true }, (rt) => runDemo(rt, { rows: o.rows, seed: o.seed, json: !!o.json }));
  });

program
  .command('migrate')
  .description("run a city's migration workflow and print its report")
  .requiredOption('--mapping <file>', 'the city mapping (mappings/<division-code>-<name>.yaml)')
  .option('--batch-rows <n>', 'landed rows per batch', (v) => Number(v))
  .option('--no-local-worker', 'do not run workers in this process (a worker fleet serves the task queues)')
  .option('--json', 'print the report as JSON')
  .action(async (o: { mapping: string; batchRows?: number; localWorker: boolean; json?: boolean }) => {
    await withRuntime({ withWorkers: o.localWorker }, async (rt) => {
      const report = await runCityMigration(rt, o.mapping, { batchRows: o.batchRows });
      process.stdout.write((o.json ? JSON.stringify(report, null, 2) : renderCityReport(report)) + '\n');
    });
  });

program
  .command('worker')
  .description('run workers for both task queues until stopped (SIGINT/SIGTERM drain running batches)')
  .action(async () => {
    await withRuntime({ withWorkers: true }, async (rt) => {
      rt.log.warn({ temporal: rt.temporalAddress }, 'worker running; Ctrl-C to stop');
      await rt.workers!.done;
    });
  });

program
  .command('db-migrate')
  .description('apply pending database migrations and exit')
  .option('--json', 'print the applied migrations as JSON')
  .action(async (o: { json?: boolean }) => {
    await withRuntime({}, async () => {
      process.stdout.write(o.json ? '{"ok":true}\n' : 'database is up to date\n');
    });
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`tongchou: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

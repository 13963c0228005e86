/**
 * What every command shares: the global options, configuration parsed once, and `withRuntime`,
 * which brings the services up for a command and down again (Ctrl-C and SIGTERM included).
 */
import { Command, Option } from 'commander';
import { loadConfig, type Config } from '../config';
import { createLogger, type Logger } from '../log';
import { startRuntime, type Runtime, type RuntimeOptions } from '../runtime';

export function createProgram(): Command {
  return new Command()
    .name('tongchou')
    .description('统筹 — migrate city work-injury insurance data into the provincial pool')
    .addOption(new Option('--database-url <url>', 'PostgreSQL to write to (default: an embedded server under the data directory)').env('DATABASE_URL'))
    .addOption(new Option('--temporal-address <host:port>', 'Temporal to run on (default: a local dev server)').env('TEMPORAL_ADDRESS'))
    .addOption(new Option('--data-dir <dir>', 'where local services keep their state').env('TONGCHOU_DATA_DIR'))
    .addOption(new Option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent').env('LOG_LEVEL'));
}

export function setupFrom(program: Command): { config: Config; log: Logger } {
  const o = program.opts<{ databaseUrl?: string; temporalAddress?: string; dataDir?: string; logLevel?: string }>();
  const config = loadConfig({ databaseUrl: o.databaseUrl, temporalAddress: o.temporalAddress, dataDir: o.dataDir, logLevel: o.logLevel ?? 'warn' });
  return { config, log: createLogger(config.logLevel) };
}

/** Runs `fn` with services up; Ctrl-C or SIGTERM stops everything cleanly. */
export async function withRuntime(program: Command, opts: RuntimeOptions, fn: (rt: Runtime) => Promise<void>): Promise<void> {
  const { config, log } = setupFrom(program);
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
    // a local service gone for good ends the command with its reason rather than leaving it waiting
    await Promise.race([
      fn(rt),
      rt.servicesFailed.then((err) => {
        throw err;
      }),
    ]);
  } finally {
    if (!stopping) await rt.close();
  }
}

/** Prints a result: JSON with --json, otherwise the human rendering. */
export function printResult(json: boolean | undefined, value: unknown, render: () => string): void {
  process.stdout.write((json ? JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) : render()) + '\n');
}

/** The Temporal Web UI page of a workflow (or the namespace's list), where the UI is known. */
export function temporalUiLink(base: string | undefined, namespace: string, workflowId?: string): string | undefined {
  if (!base) return undefined;
  const list = `${base}/namespaces/${encodeURIComponent(namespace)}/workflows`;
  return workflowId ? `${list}/${encodeURIComponent(workflowId)}` : list;
}

/** Tells the operator where to look in the Temporal Web UI — on stderr, so --json stdout stays JSON,
 * and at every log level: it is part of the command's output, not a log line. */
export function printTemporalUi(rt: Pick<Runtime, 'temporalUiUrl' | 'config'>, workflowId?: string): void {
  const link = temporalUiLink(rt.temporalUiUrl, rt.config.temporalNamespace, workflowId);
  if (link) process.stderr.write(`Temporal UI: ${link}\n`);
}

/** A command module adds its commands to the program. */
export type RegisterCommands = (program: Command) => void;

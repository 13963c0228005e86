import type { Command } from 'commander';
import { addAllowPathOption } from '../allow-path';
import { renderCityReport } from '../city-report';
import { printResult, printTemporalUi, withRuntime } from '../program';
import { cityMigrationId, runCityMigration } from '../run-city';
import { runDemo } from './demo';
import { addManifestOptions, migrateWithManifest, type MigrateOptions } from './province';

export function registerMigrationCommands(program: Command): void {
  program
    .command('demo')
    .description('generate a demo province and migrate it end to end on the local defaults')
    .option('--rows <n>', 'insured persons per demo city', (v) => Number(v), 1_000)
    .option('--seed <n>', 'seed of the generator', (v) => Number(v), 2017)
    .option('--json', 'print the report as JSON')
    .action(async (o: { rows: number; seed: number; json?: boolean }) => {
      await withRuntime(program, { withWorkers: true }, (rt) => runDemo(rt, { rows: o.rows, seed: o.seed, json: !!o.json }));
    });

  addAllowPathOption(
    addManifestOptions(
      program
        .command('migrate')
        .description("run a city's migration (--mapping) or a whole province's (--manifest) and print the report")
        .option('--mapping <file>', 'the city mapping (mappings/<division-code>-<name>.yaml)'),
    ),
  )
    .option('--batch-rows <n>', 'landed rows per batch', (v) => Number(v))
    .option('--no-local-worker', 'do not run workers in this process (a worker fleet serves the task queues)')
    .option('--json', 'print the report as JSON')
    .action(async (o: Partial<MigrateOptions> & { mapping?: string; batchRows?: number; allowPath?: string[]; localWorker: boolean; json?: boolean }) => {
      if (o.manifest) return migrateWithManifest(program, { ...o, manifest: o.manifest });
      const mapping = o.mapping;
      if (!mapping) throw new Error('give --mapping <city.yaml> or --manifest <province.yaml>');
      await withRuntime(program, { withWorkers: o.localWorker }, async (rt) => {
        printTemporalUi(rt, cityMigrationId(mapping));
        const report = await runCityMigration(rt, mapping, { batchRows: o.batchRows, allowPaths: o.allowPath });
        printResult(o.json, report, () => renderCityReport(report));
      });
    });

  program
    .command('worker')
    .description('run workers for both task queues until stopped (SIGINT/SIGTERM let running batches finish)')
    .action(async () => {
      await withRuntime(program, { withWorkers: true }, async (rt) => {
        rt.log.warn({ temporal: rt.temporalAddress }, 'worker running; Ctrl-C to stop');
        await rt.workers!.done;
      });
    });
}

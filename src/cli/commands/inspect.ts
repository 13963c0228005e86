import type { Command } from 'commander';
import { inspectSource, renderInspectReport } from '../../extract/inspect';
import { confineSourceFile, sourceRoots } from '../../mapping/source-roots';
import { addAllowPathOption } from '../allow-path';
import { printResult } from '../program';

/** `tongchou inspect <file>`: what an integration engineer looks at before writing a mapping.
 * Reads the file only: no database, no Temporal. */
export function registerInspectCommands(program: Command): void {
  addAllowPathOption(program.command('inspect <file>'))
    .description('show a source file: format, encoding, sheets/tables with row counts, the header it would use, first rows')
    .option('--rows <n>', 'rows shown per sheet/table', (v) => Number(v), 10)
    .option('--encoding <name>', 'declared character encoding (otherwise detected)')
    .option('--format <format>', 'csv | tsv | xlsx | xls | mysqldump | pgdump (otherwise detected)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, o: { rows: number; encoding?: string; format?: string; allowPath?: string[]; json?: boolean }) => {
      // confined like a mapping's sources, with the current directory as the default root
      confineSourceFile(file, sourceRoots(process.cwd(), o.allowPath));
      const report = await inspectSource(file, { sampleRows: o.rows, encoding: o.encoding, format: o.format });
      printResult(o.json, report, () => renderInspectReport(report).trimEnd());
    });
}

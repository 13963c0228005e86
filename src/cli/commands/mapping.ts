/**
 * `tongchou mapping check <mapping.yaml> [--json]`: validate a city mapping and dry-run it over its
 * sources in this process (no database, no Temporal): outcome counts per sheet/table, code values
 * no table translates, fields that bind no column, columns nothing binds, sample rejects. Exits 1
 * when the mapping is invalid or migrate would refuse it (a field binding no column among others).
 */
import { parseLoadDateFlag } from '../../mapping/load-date';
import type { Command } from 'commander';
import { checkMapping, type MappingCheck } from '../../mapping/check';
import { printResult, setupFrom } from '../program';
import { renderTable } from '../text-table';
import { addAllowPathOption } from '../allow-path';
import { cstDate } from '../../feeds/calendar';

/** Today in China Standard Time: what a source registered now would get as its load date. */
export const todayInChina = (now = Date.now()): string => cstDate(new Date(now));

const entries = (r: Record<string, number>) => Object.entries(r).sort(([a], [b]) => a.localeCompare(b));

export function renderMappingCheck(check: MappingCheck): string {
  const lines = [`${check.file}${check.city ? ` — ${check.city.name} (${check.city.code})` : ''}: ${check.ok ? 'OK' : 'PROBLEMS'}`];
  if (check.problems.length) {
    lines.push('', ...check.problems.map((p) => `  ${p.line ? `line ${p.line}: ` : ''}${p.message}${p.path ? `  [${p.path}]` : ''}`));
  }
  if (check.streams.length) {
    lines.push(
      '',
      renderTable(
        ['source [sheet/table] → entity', 'read', 'would load', 'rejected', 'skipped', 'duplicates'],
        check.streams.map((s) => [`${s.file}${s.stream ? ` [${s.stream}]` : ''} → ${s.entity}`, s.read, s.loaded, s.rejected, s.skipped, s.duplicates]),
      ),
    );
  }
  for (const u of check.unmappedStreams) lines.push('', `not mapped: ${u.file} [${u.stream}] (${u.rows} rows) — no table of the mapping binds it, nothing of it would load`);
  for (const s of check.streams) {
    const head = `${s.file}${s.stream ? ` [${s.stream}]` : ''}${s.headerRow ? ` (header row ${s.headerRow})` : ''}`;
    const parts: string[] = s.layout.map((l) => `layout: ${l}`);
    if (Object.keys(s.byReason).length) parts.push(renderTable(['reject reason', 'rows'], entries(s.byReason)));
    if (Object.keys(s.bySkip).length) parts.push(renderTable(['skip code', 'rows'], entries(s.bySkip)));
    if (Object.keys(s.warnings).length) parts.push(renderTable(['warning', 'rows'], entries(s.warnings)));
    if (Object.keys(s.unresolvedReferences).length) {
      parts.push(renderTable(['reference not in these sources (rejected unless already in the province)', 'rows'], entries(s.unresolvedReferences)));
    }
    if (s.unmappedCodes.length) parts.push(renderTable(['field', 'unmapped code value', 'rows'], s.unmappedCodes.map((u) => [u.field, u.value, u.rows]), { numericFrom: 2 }));
    if (s.unboundColumns.length) parts.push(`columns nothing binds: ${s.unboundColumns.join(', ')}`);
    if (s.sampleRejects.length) {
      parts.push(
        'sample rejects:\n' +
          s.sampleRejects.map((r) => `  row ${r.row}: ${r.reasons.map((x) => `${x.code}${x.field ? ` (${x.field}${x.detail ? `: ${x.detail}` : ''})` : ''}`).join(', ')}`).join('\n'),
      );
    }
    if (parts.length) lines.push('', `── ${head}`, ...parts);
  }
  return lines.join('\n');
}

export function registerMappingCommands(program: Command): void {
  const mapping = program.command('mapping').description('city mappings');
  addAllowPathOption(mapping.command('check <mapping>'))
    .description('validate a city mapping and dry-run it over its sources, writing nothing')
    .option('--load-date <yyyy-mm-dd>', 'the load date dates are checked against (default: today, China time)', (v) => parseLoadDateFlag(v))
    .option('--samples <n>', 'sample rejects per sheet/table', (v) => Number(v), 5)
    .option('--json', 'print the result as JSON')
    .action(async (file: string, o: { loadDate?: string; samples: number; allowPath?: string[]; json?: boolean }) => {
      const { config } = setupFrom(program);
      const check = await checkMapping(file, { provinceCode: config.provinceCode, loadDate: o.loadDate ?? todayInChina(), sampleRejects: o.samples, allowPaths: o.allowPath });
      printResult(o.json, check, () => renderMappingCheck(check));
      if (!check.ok) process.exitCode = 1;
    });
}

/**
 * `tongchou rejects list|show|fix|resubmit|not-a-record|export|import`: the reject queue at the
 * terminal, with the workbench's rules — scoped and audited as the operator (`cli:<user>`) or as
 * an account given with --as. Resubmitting runs the city's steward desk workflow (workers in this
 * process unless --no-local-worker).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { Runtime } from '../../runtime';
import type { ResubmitOutcome } from '../../../workflows/steward-desk';
import { reasonLine, type Lang } from '../../steward/reason-texts';
import { applyFilter, rejectQuery } from '../../steward/reject-store';
import { exportRejectWorkbook, importRejectWorkbook, type ImportReport } from '../../steward/reject-workbook';
import type { Actor } from '../../steward/roles';
import { workbenchDeps } from '../../steward/wiring';
import { listQueue, markNotARecord, resubmit, saveFix, viewReject, type PreviewView, type Result, type WorkbenchDeps } from '../../steward/workbench';
import { printResult, withRuntime } from '../program';
import { renderTable } from '../text-table';
import { terminalActorFor, withDatabase } from './users';

const cellText = (v: unknown) => (v === null || v === undefined || v === '' ? '∅' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.problem} (${r.status})`);
  return r.value;
}

/** Runs `fn` with the workbench on the database only (no Temporal). */
function offline<T>(program: Command, as: string | undefined, fn: (deps: WorkbenchDeps, actor: Actor) => Promise<T>): Promise<T> {
  return withDatabase(program, async (db, { config, log }) => fn(workbenchDeps({ db, log, config }), await terminalActorFor(db, as)));
}

/** Runs `fn` with Temporal up, for commands that resubmit. */
function online(program: Command, o: { as?: string; localWorker: boolean }, fn: (deps: WorkbenchDeps, actor: Actor, rt: Runtime) => Promise<void>): Promise<void> {
  return withRuntime(program, { withWorkers: o.localWorker }, async (rt) => {
    await fn(workbenchDeps({ db: rt.db, log: rt.log, config: rt.config, client: rt.client }), await terminalActorFor(rt.db, o.as), rt);
  });
}

export function renderPreview(p: PreviewView | null, lang: Lang = 'zh'): string {
  if (!p) return '';
  const head = { record: lang === 'zh' ? '校验通过：可以入库' : 'valid: can be loaded', rejected: lang === 'zh' ? '仍有问题：' : 'still not loadable:', skipped: lang === 'zh' ? '将被跳过：' : 'would be skipped:' }[p.kind];
  return [head, ...p.reasons.map((r) => `  - ${reasonLine(r, lang)}`), ...p.records.map((r) => `  ${r.entity} ${r.naturalKey}: ${JSON.stringify(r.payload)}`)].join('\n');
}

export function renderOutcome(o: ResubmitOutcome): string {
  const lines = [`staged ${o.staged} · loaded ${o.loaded} · still rejected ${o.rejected} · skipped ${o.skipped} · refused ${o.refused.length}`];
  for (const x of o.outcomes) lines.push(`  #${x.rejectId} ${x.outcome}${x.codes.length ? ` (${x.codes.join(', ')})` : ''}`);
  for (const r of o.refused) lines.push(`  #${r.rejectId} refused: ${r.why}`);
  return lines.join('\n');
}

export function renderImport(r: ImportReport): string {
  const table = renderTable(
    ['sheet', 'row', 'reject', 'status', 'why'],
    r.rows.filter((x) => x.status !== 'unchanged').map((x) => [x.sheet, x.rowNo, x.rejectId ?? '', x.status, x.messages.join('；')]),
  );
  const counts = Object.entries(r.counts).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(' · ');
  return `${counts}\n${table}`;
}

const asOption = ['--as <username>', 'act as this workbench account (its city scope applies)'] as const;
const collect = (v: string, prev: string[]) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

export function registerRejectCommands(program: Command): void {
  const rejects = program.command('rejects').description('the steward queue of rejected rows: list, show, fix, resubmit, export to and import from Excel');

  rejects
    .command('list')
    .description('list rejects (open ones unless --status)')
    .option('--city <code>', 'division code of the city')
    .option('--source <id>', 'mapping source id')
    .option('--entity <kind>', 'record kind')
    .option('--reason <code>', 'reason code, e.g. id_number.checksum')
    .option('--status <status>', 'open | resolved | not_a_record | all', 'open')
    .option('--limit <n>', 'at most this many', (v) => Number(v), 100)
    .option(...asOption)
    .option('--json', 'print JSON')
    .action(async (o: { city?: string; source?: string; entity?: string; reason?: string; status: 'open'; limit: number; as?: string; json?: boolean }) => {
      const page = await offline(program, o.as, async (deps, actor) => ok(await listQueue(deps, actor, o, { offset: 0, limit: o.limit })));
      printResult(o.json, page, () =>
        `${page.total} rejects\n` +
        renderTable(
          ['id', 'city', 'entity', 'source', 'row', 'reasons', 'status', 'rev', 'content (masked)'],
          page.rows.map((r) => [r.id, r.cityCode, r.entity, `${r.sourceId}/${r.stream}`, r.rowNo, r.codes.join(' '), r.status, r.revision, Object.entries(r.glimpse).map(([k, v]) => `${k}=${cellText(v)}`).join(' ')]),
        ),
      );
    });

  rejects
    .command('show <id>')
    .description('a reject: locator, reasons explained, raw row, what it would become')
    .option('--reveal', 'show personal data in full (audited)')
    .option('--lang <lang>', 'zh | en', 'zh')
    .option(...asOption)
    .option('--json', 'print JSON')
    .action(async (id: string, o: { reveal?: boolean; lang: string; as?: string; json?: boolean }) => {
      const lang: Lang = o.lang === 'en' ? 'en' : 'zh';
      const v = await offline(program, o.as, async (deps, actor) => ok(await viewReject(deps, actor, id, { lang, reveal: o.reveal })));
      printResult(o.json, v, () =>
        [
          `#${v.id} ${v.entity} · city ${v.cityCode} · ${v.status} · revision ${v.revision}${v.attempts ? ` · resubmitted ${v.attempts}×` : ''}`,
          `from ${v.locator.path} · ${v.locator.stream || '-'} · row ${v.locator.rowNo} (source ${v.locator.sourceKey} v${v.locator.sourceVersion}, mapping ${v.locator.mappingName} #${v.locator.mappingVersionId})`,
          '',
          ...v.reasons.map((r) => `- ${reasonLine(r, lang)}\n    ${r.explain}\n    ${r.rule}`),
          '',
          renderTable(['field', 'in the file', 'fixed'], v.editableFields.map((f) => [f, cellText(v.fields[f]), v.fixedFields ? cellText(v.fixedFields[f]) : ''])),
          '',
          renderPreview(v.preview, lang),
          v.justification ? `justification: ${v.justification}` : '',
        ].join('\n'),
      );
    });

  rejects
    .command('fix <id>')
    .description('save an edit of a reject (field=value; an empty value clears), and with --resubmit send it on')
    .option('--set <field=value>', 'a field and its new value (repeatable)', (v: string, prev: string[]) => [...prev, v], [])
    .option('--revision <n>', 'the revision you read (refused if the reject changed since)', (v) => Number(v))
    .option('--resubmit', 'resubmit it through the steward desk workflow')
    .option('--no-local-worker', 'do not run workers in this process')
    .option(...asOption)
    .option('--json', 'print JSON')
    .action(async (id: string, o: { set: string[]; revision?: number; resubmit?: boolean; localWorker: boolean; as?: string; json?: boolean }) => {
      const edits: Record<string, string> = {};
      for (const s of o.set) {
        const at = s.indexOf('=');
        if (at < 1) throw new Error(`--set ${s}: write field=value`);
        edits[s.slice(0, at)] = s.slice(at + 1);
      }
      const run = async (deps: WorkbenchDeps, actor: Actor) => {
        const saved = ok(await saveFix(deps, actor, id, { edits, revision: o.revision }));
        const outcome = o.resubmit ? ok(await resubmit(deps, actor, [id])) : undefined;
        printResult(o.json, { ...saved, outcome }, () => [`revision ${saved.revision}`, renderPreview(saved.preview), outcome ? renderOutcome(outcome) : ''].filter(Boolean).join('\n'));
      };
      if (o.resubmit) await online(program, o, run);
      else await offline(program, o.as, run);
    });

  rejects
    .command('resubmit [ids...]')
    .description('resubmit rejects (ids, or every open one of --city matching --reason) through the steward desk workflow')
    .option('--city <code>', 'every open reject of this city')
    .option('--reason <code>', 'with --city: only those with this reason')
    .option('--no-local-worker', 'do not run workers in this process')
    .option(...asOption)
    .option('--json', 'print JSON')
    .action(async (ids: string[], o: { city?: string; reason?: string; localWorker: boolean; as?: string; json?: boolean }) => {
      await online(program, o, async (deps, actor) => {
        let chosen = ids;
        if (!chosen.length && o.city) {
          chosen = ((await applyFilter(rejectQuery(deps.db), { city: o.city, reason: o.reason, status: 'open' }, null).orderBy('r.id').pluck('r.id')) as string[]).map(String);
        }
        if (!chosen.length) throw new Error('name reject ids, or --city');
        const outcome = ok(await resubmit(deps, actor, chosen));
        printResult(o.json, outcome, () => renderOutcome(outcome));
      });
    });

  rejects
    .command('not-a-record <id>')
    .description('close a reject as not a record (reports count it as skipped)')
    .requiredOption('--justification <text>', 'why the row is not a record')
    .option('--revision <n>', 'the revision you read', (v) => Number(v))
    .option(...asOption)
    .action(async (id: string, o: { justification: string; revision?: number; as?: string }) => {
      const r = await offline(program, o.as, async (deps, actor) => ok(await markNotARecord(deps, actor, id, o)));
      process.stdout.write(`#${id} closed as not a record (revision ${r.revision})\n`);
    });

  rejects
    .command('export <out.xlsx>')
    .description("a city's open rejects as a workbook to fix offline: one sheet per kind, raw values, reasons in Chinese, protected key columns")
    .requiredOption('--city <code>', 'division code of the city')
    .option('--reason <code>', 'only rejects with this reason (repeat or comma-separate)', collect, [])
    .option('--reveal', 'personal data in full (a permission; audited)')
    .option(...asOption)
    .action(async (out: string, o: { city: string; reason: string[]; reveal?: boolean; as?: string }) => {
      const r = await offline(program, o.as, async (deps, actor) => ok(await exportRejectWorkbook(deps, actor, { cityCode: o.city, reasons: o.reason, reveal: o.reveal })));
      fs.writeFileSync(out, r.workbook);
      process.stdout.write(`${out}: ${r.count} rejects${r.sheets.map((s) => `\n  ${s.sheet} (${s.entity}): ${s.rows}`).join('')}\n`);
    });

  rejects
    .command('import <fixed.xlsx>')
    .description('validate every row of a fixed workbook, resubmit the fixed ones, report what still fails; rows changed since the export are refused')
    .option('--no-local-worker', 'do not run workers in this process')
    .option(...asOption)
    .option('--json', 'print JSON')
    .action(async (file: string, o: { localWorker: boolean; as?: string; json?: boolean }) => {
      const buffer = fs.readFileSync(file);
      await online(program, o, async (deps, actor) => {
        const report = await importRejectWorkbook(deps, actor, buffer);
        printResult(o.json, report, () => renderImport(report));
        if (report.counts.conflict || report.counts.invalid || report.counts.still_rejected || report.counts.error || report.counts.forbidden || report.counts.not_found) process.exitCode = 2;
      });
    });
}

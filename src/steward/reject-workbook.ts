/**
 * The Excel round trip (离线修正): `rejects export` writes a city's open rejects to a workbook —
 * one sheet per kind of record, the raw values by field, the reasons in Chinese, the reject id,
 * revision and locator in protected columns — and `rejects import` reads it back: every changed
 * row is validated by the pipeline's normalization, saved and resubmitted; a row whose reject
 * changed since the export (another revision) is refused, never overwritten.
 * Personal data is masked unless the export was revealed; a masked cell left as it was keeps the
 * stored value. Every text cell is neutralised against formula injection.
 */
import type * as XLSX from 'xlsx';
import { sheetJs } from '../sheetjs';
import type { RawCell } from '../extract/types';
import { checkUploadedWorkbook } from '../extract/uploaded-workbook';
import { audit } from './audit';
import { chinaTime, cityName, fieldLabel, serialAsDate, sourceHeaders } from './display';
import { entityLabelOf } from './entity-labels';
import { orderFields } from './field-order';
import { maskDetail, maskFields } from './masking';
import { reasonLine } from './reason-texts';
import { effectiveFields, listRejects, loadReject, targetMapping, targetMappings, type RejectRecord } from './reject-store';
import { emptyOutcome } from './resubmitter';
import { type Actor } from './roles';
import { neutralizeFormula, restoreNeutralized } from './spreadsheet-safety';
import { applyEdits, guard, markNotARecord, previewEdit, resubmit, saveFix, type Result, type WorkbenchDeps } from './workbench';
import { writeProtectedWorkbook } from './xlsx-protection';

const KEY_COLUMNS = [
  { key: 'reject_id', label: '编号' },
  { key: 'revision', label: '版本' },
  { key: 'reasons', label: '拒收原因' },
  { key: 'locator', label: '来源位置' },
] as const;
const JUSTIFICATION = { key: 'not_a_record', label: '不是记录的理由' };

const README_SHEET = '说明';

/** `姓名(name)` → `name`: the machine key of a column is the last parenthesised part. */
export const columnKey = (header: unknown): string | null => (typeof header === 'string' ? (/\(([\w.]+)\)$/.exec(header.trim())?.[1] ?? null) : null);

const textCell = (v: string): XLSX.CellObject => ({ t: 's', v: neutralizeFormula(v) });

function valueCell(v: unknown, date: string | null): XLSX.CellObject {
  if (v === null || v === undefined || v === '') return { t: 'z', z: '@' };
  // a date serial as the date it means (whatever date system the source used); given back unchanged it is no edit
  if (date) return { t: 's', v: date, z: '@' };
  if (typeof v === 'number') return { t: 'n', v };
  if (typeof v === 'boolean') return { t: 'b', v };
  // text stays text when edited: an 18-digit ID typed into it is never turned into a number
  return { t: 's', v: neutralizeFormula(String(v)), z: '@' };
}

export interface ExportOptions {
  cityCode: string;
  /** only rejects with any of these reason codes */
  reasons?: readonly string[];
  /** personal data in full (a permission; audited) */
  reveal?: boolean;
}

export interface ExportResult {
  workbook: Buffer;
  count: number;
  sheets: { sheet: string; entity: string; rows: number }[];
}

async function openRejects(deps: WorkbenchDeps, cityCode: string, reasons: readonly string[] | undefined): Promise<RejectRecord[]> {
  const out: RejectRecord[] = [];
  for (let offset = 0; ; offset += 1_000) {
    const { rows } = await listRejects(deps.db, null, { city: cityCode, status: 'open' }, { offset, limit: 1_000 });
    out.push(...rows.filter((r) => !reasons?.length || r.codes.some((c) => reasons.includes(c))));
    if (rows.length < 1_000) return out;
  }
}

export async function exportRejectWorkbook(deps: WorkbenchDeps, actor: Actor, opts: ExportOptions): Promise<Result<ExportResult>> {
  const denied = (await guard(deps, actor, 'rejects.read', opts.cityCode, `city:${opts.cityCode}`)) ?? (opts.reveal ? await guard(deps, actor, 'personal.reveal', opts.cityCode, `city:${opts.cityCode}`) : null);
  if (denied) return denied;
  const rejects = await openRejects(deps, opts.cityCode, opts.reasons);
  const byEntity = new Map<string, RejectRecord[]>();
  for (const r of rejects) byEntity.set(r.entity, [...(byEntity.get(r.entity) ?? []), r]);

  const mappingOf = targetMappings(deps.db);
  const wb = sheetJs().utils.book_new();
  const editable: Record<string, number[]> = {};
  const sheets: ExportResult['sheets'] = [];
  const readme = [
    ['城市', `${cityName(opts.cityCode)}（${opts.cityCode}）`],
    ['导出时间', `${chinaTime(new Date(), true)}（北京时间）`],
    ['原因筛选', opts.reasons?.length ? opts.reasons.join(', ') : '全部'],
    ['记录数', rejects.length],
    ['个人信息', opts.reveal ? '完整显示（本次导出已记入审计日志）' : '已脱敏：脱敏的单元格保持不动即表示不修改'],
    [],
    ['填写说明'],
    ['1. 只修改字段列（白底可编辑）；编号、版本、原因、来源位置列受保护，不要改动。'],
    ['2. 改好后在工作台“导入修正”页面上传（或用 tongchou rejects import 导入）：系统逐行校验，通过的自动重新提交，仍有问题的会列出原因。'],
    ['3. 如果某行不是业务记录（测试数据、作废行），在“不是记录的理由”列写明理由，导入时将关闭该记录。'],
    ['4. 导出后若记录已被他人修改（版本不同），该行导入时会被拒绝，请重新导出。'],
  ].map((row) => row.map((v) => (typeof v === 'string' ? neutralizeFormula(v) : v)));
  sheetJs().utils.book_append_sheet(wb, sheetJs().utils.aoa_to_sheet(readme), README_SHEET);

  for (const [entity, list] of [...byEntity.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    // the fields of the kind: what the current mapping binds, then anything else found
    const fields: string[] = [];
    const labels = new Map<string, string>();
    for (const r of list) {
      const target = await mappingOf(r);
      const headers = sourceHeaders(target?.table);
      for (const f of Object.keys(target?.table.columns ?? {})) {
        if (!labels.has(f)) labels.set(f, fieldLabel(entity, f, 'zh', headers));
        if (!fields.includes(f)) fields.push(f);
      }
      for (const f of Object.keys(effectiveFields(r))) if (!fields.includes(f)) fields.push(f);
    }
    const ordered = orderFields(entity, fields);
    const header = [...KEY_COLUMNS.map((c) => `${c.label}(${c.key})`), ...ordered.map((f) => `${labels.get(f) ?? fieldLabel(entity, f, 'zh')}(${f})`), `${JUSTIFICATION.label}(${JUSTIFICATION.key})`];
    const ws: XLSX.WorkSheet = {};
    header.forEach((h, c) => (ws[sheetJs().utils.encode_cell({ r: 0, c })] = textCell(h)));
    list.forEach((r, i) => {
      const row = i + 1;
      const shown = opts.reveal ? effectiveFields(r) : maskFields(r.entity, effectiveFields(r));
      const reasons = r.reasons.map((x) => reasonLine({ ...x, fieldLabel: x.field ? labels.get(x.field) : undefined, detail: opts.reveal ? x.detail : maskDetail(r.entity, x.field, x.detail) }, 'zh')).join('\n');
      // the file's name, never its path on the server
      const file = r.path.split(/[\\/]/).pop() ?? r.path;
      const keys = [{ t: 'n', v: Number(r.id) }, { t: 'n', v: r.revision }, textCell(reasons), textCell(`${file} / ${r.stream || '-'} / 第${r.rowNo}行`)] as XLSX.CellObject[];
      keys.forEach((cell, c) => (ws[sheetJs().utils.encode_cell({ r: row, c })] = cell));
      ordered.forEach((f, j) => (ws[sheetJs().utils.encode_cell({ r: row, c: KEY_COLUMNS.length + j })] = valueCell(shown[f], serialAsDate(f, shown[f], r.date1904))));
      ws[sheetJs().utils.encode_cell({ r: row, c: header.length - 1 })] = { t: 'z', z: '@' };
    });
    ws['!ref'] = sheetJs().utils.encode_range({ s: { r: 0, c: 0 }, e: { r: list.length, c: header.length - 1 } });
    ws['!cols'] = header.map((_h, c) => ({ wch: c === 2 ? 48 : c === 3 ? 36 : c < 2 ? 10 : 22 }));
    ws['!autofilter'] = { ref: sheetJs().utils.encode_range({ s: { r: 0, c: 0 }, e: { r: list.length, c: header.length - 1 } }) };
    const label = entityLabelOf(entity, 'zh');
    const name = !wb.SheetNames.includes(label) ? label.slice(0, 31) : entity.slice(0, 31);
    sheetJs().utils.book_append_sheet(wb, ws, name);
    editable[name] = [...ordered.map((_f, j) => KEY_COLUMNS.length + j), header.length - 1];
    sheets.push({ sheet: name, entity, rows: list.length });
  }
  await audit(deps.db, { actor: actor.id, action: 'rejects.export', target: `city:${opts.cityCode}`, cityCode: opts.cityCode, after: { rows: rejects.length, reasons: opts.reasons ?? [], revealed: !!opts.reveal } });
  return { ok: true, value: { workbook: writeProtectedWorkbook(wb, editable), count: rejects.length, sheets } };
}

// ---- import ----

export interface WorkbookRow {
  sheet: string;
  /** 1-based row in the sheet, as Excel shows it */
  rowNo: number;
  rejectId: string | null;
  revision: number | null;
  values: Record<string, RawCell>;
  justification: string | null;
}

/** Reads the rows of every sheet whose header has the reject id column. Pure. */
export function readRejectWorkbook(buffer: Buffer): WorkbookRow[] {
  const wb = sheetJs().read(buffer, { type: 'buffer' });
  const rows: WorkbookRow[] = [];
  for (const name of wb.SheetNames) {
    const aoa = sheetJs().utils.sheet_to_json<RawCell[]>(wb.Sheets[name]!, { header: 1, raw: true, defval: null, blankrows: true });
    const keys = (aoa[0] ?? []).map(columnKey);
    const at = (k: string) => keys.indexOf(k);
    if (at('reject_id') < 0) continue;
    aoa.slice(1).forEach((cells, i) => {
      if (cells.every((c) => c === null || c === '')) return;
      const read = (c: RawCell): RawCell => (typeof c === 'string' ? restoreNeutralized(c) : c);
      const values: Record<string, RawCell> = {};
      keys.forEach((k, c) => {
        if (k && !KEY_COLUMNS.some((kc) => kc.key === k) && k !== JUSTIFICATION.key) values[k] = read(cells[c] ?? null);
      });
      const id = cells[at('reject_id')];
      const revision = Number(cells[at('revision')]);
      const justification = at(JUSTIFICATION.key) >= 0 ? read(cells[at(JUSTIFICATION.key)] ?? null) : null;
      rows.push({
        sheet: name,
        rowNo: i + 2,
        rejectId: id !== null && /^\d{1,18}$/.test(String(id)) ? String(id) : null,
        revision: Number.isInteger(revision) && revision > 0 ? revision : null,
        values,
        justification: typeof justification === 'string' && justification.trim() ? justification.trim() : null,
      });
    });
  }
  return rows;
}

export type ImportStatus = 'unchanged' | 'loaded' | 'still_rejected' | 'invalid' | 'not_a_record' | 'conflict' | 'not_found' | 'forbidden' | 'error';

export interface ImportRowReport {
  sheet: string;
  rowNo: number;
  rejectId: string | null;
  status: ImportStatus;
  /** reasons (Chinese) for invalid and still rejected rows; the refusal for the others */
  messages: string[];
}

export interface ImportReport {
  rows: ImportRowReport[];
  counts: Record<ImportStatus, number>;
}

const STATUSES: ImportStatus[] = ['unchanged', 'loaded', 'still_rejected', 'invalid', 'not_a_record', 'conflict', 'not_found', 'forbidden', 'error'];

/** Imports a fixed workbook as `actor`: validate, save and resubmit the fixed rows; refuse stale ones. */
export async function importRejectWorkbook(deps: WorkbenchDeps, actor: Actor, buffer: Buffer): Promise<ImportReport> {
  // an upload is untrusted: limits and zip checks first, SheetJS (unguarded, in process) after
  await checkUploadedWorkbook(buffer, 'uploaded workbook');
  const reports: ImportRowReport[] = [];
  const toResubmit: { report: ImportRowReport; id: string }[] = [];
  for (const row of readRejectWorkbook(buffer)) {
    const report: ImportRowReport = { sheet: row.sheet, rowNo: row.rowNo, rejectId: row.rejectId, status: 'unchanged', messages: [] };
    reports.push(report);
    const refused = (status: ImportStatus, message: string) => {
      report.status = status;
      report.messages = [message];
    };
    if (!row.rejectId || !row.revision) {
      refused('error', '编号或版本列为空或被改动（受保护列）');
      continue;
    }
    const reject = await loadReject(deps.db, row.rejectId);
    if (!reject || reject.status === 'attempt') {
      refused('not_found', `没有编号为 ${row.rejectId} 的拒收记录`);
      continue;
    }
    const denied = await guard(deps, actor, 'rejects.edit', reject.cityCode, `reject:${reject.id}`);
    if (denied) {
      refused('forbidden', denied.problem);
      continue;
    }
    if (reject.revision !== row.revision || reject.status !== 'open') {
      refused('conflict', `导出后该记录已变更（导出时版本 ${row.revision}，现在版本 ${reject.revision}，状态 ${reject.status}），未覆盖；请重新导出`);
      continue;
    }
    if (row.justification) {
      const done = await markNotARecord(deps, actor, reject.id, { justification: row.justification, revision: row.revision });
      if (done.ok) report.status = 'not_a_record';
      else refused(done.status === 409 ? 'conflict' : 'error', done.problem);
      continue;
    }
    const target = await targetMapping(deps.db, reject);
    const allowed = target ? Object.keys(target.table.columns) : Object.keys(reject.fields);
    const known = Object.fromEntries(Object.entries(row.values).filter(([f]) => allowed.includes(f)));
    const next = applyEdits(reject, known, allowed);
    if (!next.ok) {
      refused('error', next.problem);
      continue;
    }
    const before = effectiveFields(reject);
    const changed = Object.fromEntries(Object.entries(next.value).filter(([f, v]) => (before[f] ?? null) !== v));
    if (!Object.keys(changed).length) continue;
    const check = await previewEdit(deps, actor, reject.id, changed, 'zh');
    if (!check.ok) {
      refused('error', check.problem);
      continue;
    }
    if (check.value.kind !== 'record') {
      report.status = 'invalid';
      report.messages = check.value.reasons.map((r) => reasonLine(r, 'zh'));
      continue;
    }
    const saved = await saveFix(deps, actor, reject.id, { edits: changed, revision: row.revision });
    if (!saved.ok) {
      refused(saved.status === 409 ? 'conflict' : 'error', saved.problem);
      continue;
    }
    toResubmit.push({ report, id: reject.id });
  }

  if (toResubmit.length) {
    const outcome = await resubmit(deps, actor, toResubmit.map((x) => x.id));
    const refusedIds = new Set((outcome.ok ? outcome.value : emptyOutcome()).refused.map((r) => r.rejectId));
    for (const { report, id } of toResubmit) {
      const after = await loadReject(deps.db, id);
      if (!outcome.ok) refusedRow(report, outcome.problem);
      else if (refusedIds.has(id)) refusedRow(report, '未受理');
      else if (after?.status === 'resolved') report.status = 'loaded';
      else {
        report.status = 'still_rejected';
        report.messages = (after?.reasons ?? []).map((r) => reasonLine({ ...r, detail: maskDetail(after!.entity, r.field, r.detail) }, 'zh'));
      }
    }
  }
  const counts = Object.fromEntries(STATUSES.map((s) => [s, reports.filter((r) => r.status === s).length])) as Record<ImportStatus, number>;
  await audit(deps.db, { actor: actor.id, action: 'rejects.import', target: `rows:${reports.length}`, after: counts });
  return { rows: reports, counts };
}

function refusedRow(report: ImportRowReport, message: string): void {
  report.status = 'error';
  report.messages = [message];
}

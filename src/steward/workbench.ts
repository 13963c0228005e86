/**
 * The steward workbench's actions, shared by the web server and the CLI: each one checks the
 * actor's permission and city scope (a refusal is audited and answered 403), works on the reject
 * in a transaction against its revision (a stale edit is refused 409), and records what it did
 * — before and after — in the audit log. Personal data leaves here masked unless revealed.
 */
import type { Knex } from 'knex';
import type { RecordPart, RowResult } from '../domain/normalize/types';
import type { Reason } from '../domain/rules/result';
import type { RawCell } from '../extract/types';
import { loadDateOf } from '../pipeline-context';
import type { ResubmitOutcome } from '../../workflows/steward-desk';
import { audit } from './audit';
import { cellText, cityName, fieldLabel, recordValueText, serialAsDate, sourceHeaders } from './display';
import { recordCodeTranslation, rejectsWithUnmappedValue, type CodeTranslation, type RecordedTranslation } from './code-translation';
import { orderFields } from './field-order';
import { fixContext, previewFix } from './fix-row';
import { isMaskOf, maskDetail, maskFields, maskIdsInText, personalKind } from './masking';
import { detailText } from './reason-details';
import { reasonText, type Lang } from './reason-texts';
import { effectiveFields, listRejects, loadReject, loadRejects, targetMapping, targetMappings, type RejectFilter, type RejectRecord } from './reject-store';
import { emptyOutcome, mergeOutcomes, type Resubmitter } from './resubmitter';
import { authorize, cityScope, DIVISION_CODE, type Actor, type Permission } from './roles';

export interface WorkbenchDeps {
  db: Knex;
  provinceCode: string;
  resubmitter: Resubmitter;
  /** accounts a source again after the outcomes of its rows changed */
  refreshReport(sourceFileId: string, mappingVersionId: number): Promise<void>;
  /** where the city mappings live (code translations are written there) */
  mappingsDir?: string;
  now?: () => Date;
}

export type Refusal = { ok: false; status: 400 | 403 | 404 | 409; problem: string };
export type Result<T> = { ok: true; value: T } | Refusal;

const refuse = (status: Refusal['status'], problem: string): Refusal => ({ ok: false, status, problem });

/** Refuses (and audits) an action the actor may not take, or returns null. */
export async function guard(deps: WorkbenchDeps, actor: Actor, permission: Permission, cityCode?: string, target?: string): Promise<Refusal | null> {
  const auth = authorize(actor, permission, cityCode);
  if (auth.ok) return null;
  await audit(deps.db, { actor: actor.id, action: 'access.denied', target, cityCode: cityCode ?? null, after: { permission, why: auth.why, role: actor.role, scope: actor.cities } });
  return refuse(403, auth.why === 'city' ? `city ${cityCode} is outside your scope` : `your role may not ${permission}`);
}

/** A reject the actor may act on: 404 when there is none, 403 (audited) when it is another city's. */
async function rejectFor(deps: WorkbenchDeps, actor: Actor, id: string, permission: Permission, trx?: Knex.Transaction): Promise<Result<RejectRecord>> {
  const reject = await loadReject(trx ?? deps.db, id, { forUpdate: !!trx });
  if (!reject || reject.status === 'attempt') {
    const denied = await guard(deps, actor, permission);
    return denied ?? refuse(404, `no reject ${id}`);
  }
  const denied = await guard(deps, actor, permission, reject.cityCode, `reject:${id}`);
  return denied ?? { ok: true, value: reject };
}

// ---- views ----

export interface ReasonView extends Reason {
  /** the field as the steward knows it (the source header, or the provincial label) */
  fieldLabel?: string;
  title: string;
  explain: string;
  rule: string;
}

export interface RejectSummaryView {
  id: string;
  cityCode: string;
  entity: string;
  sourceId: string;
  stream: string;
  rowNo: number;
  codes: string[];
  status: string;
  revision: number;
  attempts: number;
  updatedAt: string;
  /** a few fields, masked, to recognise the row by */
  glimpse: Record<string, unknown>;
  /** the same, as the page shows them: labelled, dates as dates */
  glimpseRows: DisplayRow[];
  cityName: string;
  /** the source file's name (never its path on the server) and sheet */
  fileName: string;
}

/** A value as a page shows it: the field's label and the value's text. */
export interface DisplayRow {
  key: string;
  label: string;
  text: string;
}

export interface RecordView {
  entity: string;
  naturalKey: string;
  payload: Record<string, unknown>;
  /** the payload as a page shows it: labels, yuan, names */
  rows: DisplayRow[];
}

export interface PreviewView {
  kind: RowResult['kind'];
  reasons: ReasonView[];
  warnings: ReasonView[];
  records: RecordView[];
}

export interface RejectView extends RejectSummaryView {
  revealed: boolean;
  reasons: ReasonView[];
  /** the row as it was in the file */
  fields: Record<string, unknown>;
  /** the steward's saved edit */
  fixedFields: Record<string, unknown> | null;
  /** what the row would become now, by the pipeline's own normalization */
  preview: PreviewView | null;
  /** the fields a fix may set: those the current mapping binds */
  editableFields: string[];
  personalFields: string[];
  /** field → label (the source's header, else the provincial label) */
  labels: Record<string, string>;
  /** the source workbook counts dates from 1904 */
  date1904: boolean;
  /** when the row was rejected */
  createdAt: string;
  justification: string | null;
  resolution: Record<string, unknown> | null;
  decidedBy: string | null;
  decidedAt: string | null;
  locator: { path: string; sourceKey: string; sourceVersion: number; format: string; stream: string; rowNo: number; mappingName: string; mappingVersionId: number; registeredAt: string };
}

const explain = (lang: Lang, entity: string, reveal: boolean, headers: Readonly<Record<string, string>> = {}) => (r: Reason): ReasonView => ({
  ...r,
  ...(r.field ? { fieldLabel: fieldLabel(entity, r.field, lang, headers) } : {}),
  ...(r.detail !== undefined ? { detail: detailText((reveal ? r.detail : maskDetail(entity, r.field, r.detail))!, lang) } : {}),
  ...reasonText(r.code, lang),
});

const fileNameOf = (path: string): string => path.split(/[\\/]/).pop() ?? path;

const masked = (entity: string, reveal: boolean, fields: Record<string, unknown>) => (reveal ? { ...fields } : maskFields(entity, fields));

function summary(r: RejectRecord, lang: Lang = 'zh', headers: Readonly<Record<string, string>> = {}): RejectSummaryView {
  const fields = effectiveFields(r);
  const shown = maskFields(r.entity, fields);
  const picked = orderFields(r.entity, Object.keys(shown)).slice(0, 3);
  const glimpse = Object.fromEntries(picked.map((f) => [f, shown[f]]));
  const glimpseRows = picked.map((f) => ({ key: f, label: fieldLabel(r.entity, f, lang, headers), text: cellText(f, shown[f], r.date1904) }));
  return {
    id: r.id,
    cityCode: r.cityCode,
    cityName: cityName(r.cityCode),
    entity: r.entity,
    sourceId: r.sourceId,
    stream: r.stream,
    fileName: fileNameOf(r.path),
    rowNo: r.rowNo,
    codes: r.codes,
    status: r.status,
    revision: r.revision,
    attempts: r.attempts,
    updatedAt: r.updatedAt.toISOString(),
    glimpse,
    glimpseRows,
  };
}

function recordView(part: RecordPart, reveal: boolean, lang: Lang): RecordView {
  const payload = masked(part.entity, reveal, part.payload);
  const rows = Object.entries(payload).map(([k, v]) => ({ key: k, label: fieldLabel(part.entity, k, lang), text: recordValueText(part.entity, k, v, lang) }));
  return { entity: part.entity, naturalKey: reveal ? part.naturalKey : maskIdsInText(part.naturalKey), payload, rows };
}

function previewView(result: RowResult, entity: string, lang: Lang, reveal: boolean, headers: Readonly<Record<string, string>> = {}): PreviewView {
  const ex = explain(lang, entity, reveal, headers);
  if (result.kind === 'record') return { kind: 'record', reasons: [], warnings: result.warnings.map((code) => ex({ code })), records: result.parts.map((p) => recordView(p, reveal, lang)) };
  if (result.kind === 'skipped') return { kind: 'skipped', reasons: [ex({ code: result.code })], warnings: [], records: [] };
  return {
    kind: 'rejected',
    reasons: result.reasons.map(ex),
    warnings: result.warnings.map((code) => ex({ code })),
    records: [recordView({ entity, naturalKey: '', payload: result.normalized } as RecordPart, reveal, lang)],
  };
}

async function preview(deps: WorkbenchDeps, reject: RejectRecord, fields: Record<string, RawCell>): Promise<{ result: RowResult; editable: string[]; headers: Record<string, string> } | null> {
  const target = await targetMapping(deps.db, reject);
  if (!target) return null;
  const ctx = fixContext(target.mapping, target.table, {
    cityCode: reject.cityCode,
    provinceCode: deps.provinceCode,
    loadDate: loadDateOf((deps.now ?? (() => new Date()))()),
    date1904: reject.date1904,
  });
  return { result: previewFix(target.table, ctx, fields), editable: Object.keys(target.table.columns), headers: sourceHeaders(target.table) };
}

// ---- actions ----

export async function listQueue(
  deps: WorkbenchDeps,
  actor: Actor,
  filter: RejectFilter,
  page: { offset: number; limit: number },
  lang: Lang = 'zh',
): Promise<Result<{ total: number; rows: RejectSummaryView[] }>> {
  const denied = await guard(deps, actor, 'rejects.read', filter.city, filter.city ? `city:${filter.city}` : undefined);
  if (denied) return denied;
  const { total, rows } = await listRejects(deps.db, cityScope(actor), filter, page);
  const mappingOf = targetMappings(deps.db);
  const views: RejectSummaryView[] = [];
  for (const r of rows) views.push(summary(r, lang, sourceHeaders((await mappingOf(r))?.table)));
  return { ok: true, value: { total, rows: views } };
}

/** One reject for its page; `reveal` shows personal data in full where permitted (audited). */
export async function viewReject(deps: WorkbenchDeps, actor: Actor, id: string, opts: { lang: Lang; reveal?: boolean }): Promise<Result<RejectView>> {
  const found = await rejectFor(deps, actor, id, 'rejects.read');
  if (!found.ok) return found;
  const r = found.value;
  if (opts.reveal) {
    const denied = await guard(deps, actor, 'personal.reveal', r.cityCode, `reject:${id}`);
    if (denied) return denied;
    await audit(deps.db, { actor: actor.id, action: 'personal.reveal', target: `reject:${id}`, cityCode: r.cityCode, after: { fields: Object.keys(r.fields).filter((f) => personalKind(r.entity, f)) } });
  }
  const reveal = !!opts.reveal;
  const p = await preview(deps, r, effectiveFields(r));
  const headers = p?.headers ?? {};
  const fieldNames = [...new Set([...(p?.editable ?? []), ...Object.keys(r.fields), ...Object.keys(r.fixedFields ?? {})])];
  return {
    ok: true,
    value: {
      ...summary(r, opts.lang, headers),
      revealed: reveal,
      reasons: r.reasons.map(explain(opts.lang, r.entity, reveal, headers)),
      labels: Object.fromEntries(fieldNames.map((f) => [f, fieldLabel(r.entity, f, opts.lang, headers)])),
      date1904: r.date1904,
      createdAt: r.createdAt.toISOString(),
      fields: masked(r.entity, reveal, r.fields),
      fixedFields: r.fixedFields ? masked(r.entity, reveal, r.fixedFields) : null,
      preview: p ? previewView(p.result, r.entity, opts.lang, reveal, headers) : null,
      editableFields: orderFields(r.entity, p?.editable ?? Object.keys(r.fields)),
      personalFields: Object.keys(r.fields).filter((f) => personalKind(r.entity, f)),
      justification: r.justification,
      resolution: r.resolution,
      decidedBy: r.decidedBy,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      locator: {
        path: r.path,
        sourceKey: r.sourceKey,
        sourceVersion: r.sourceVersion,
        format: r.format,
        stream: r.stream,
        rowNo: r.rowNo,
        mappingName: r.mappingName,
        mappingVersionId: r.mappingVersionId,
        registeredAt: r.registeredAt.toISOString(),
      },
    },
  };
}

/**
 * The fields after an edit: an edited value replaces the current one, an empty text clears it,
 * and a value that is just the masked form of the current one (an untouched masked input or
 * workbook cell), or its text, leaves it as it is.
 */
export function applyEdits(reject: Pick<RejectRecord, 'entity' | 'fields' | 'fixedFields'> & { date1904?: boolean }, edits: Readonly<Record<string, unknown>>, allowed: readonly string[]): Result<Record<string, RawCell>> {
  const current = effectiveFields(reject);
  const next: Record<string, RawCell> = { ...current };
  for (const [field, value] of Object.entries(edits)) {
    if (!allowed.includes(field)) return refuse(400, `field ${JSON.stringify(field)} is not a field of this row`);
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) return refuse(400, `field ${field}: a value is text, a number or empty`);
    const cell = value === '' ? null : (value as RawCell);
    if (typeof cell === 'string' && cell.length > 1_000) return refuse(400, `field ${field}: too long`);
    const was = current[field] ?? null;
    // an empty or blank text in the file (a masked blank is empty too) and an empty cell of a
    // form or workbook are the same: empty
    if (cell === null && (was === null || (typeof was === 'string' && was.trim() === ''))) continue;
    if (isMaskOf(reject.entity, field, cell, was)) continue;
    // a date serial is shown (and exported) as its date: that date given back is no change
    if (typeof cell === 'string' && serialAsDate(field, was, reject.date1904 ?? false) === cell.trim()) continue;
    // a form or workbook gives text: '1' for a numeric cell 1 is no change
    if (cell !== null && was !== null && typeof cell !== typeof was && String(cell) === String(was)) continue;
    next[field] = cell;
  }
  return { ok: true, value: next };
}

/** Live validation of an edit, without saving it. */
export async function previewEdit(deps: WorkbenchDeps, actor: Actor, id: string, edits: Record<string, unknown>, lang: Lang): Promise<Result<PreviewView>> {
  const found = await rejectFor(deps, actor, id, 'rejects.read');
  if (!found.ok) return found;
  const r = found.value;
  const target = await targetMapping(deps.db, r);
  const next = applyEdits(r, edits, target ? Object.keys(target.table.columns) : Object.keys(r.fields));
  if (!next.ok) return next;
  const p = await preview(deps, r, next.value);
  if (!p) return refuse(409, 'the mapping no longer reads this row’s source');
  return { ok: true, value: previewView(p.result, r.entity, lang, false, p.headers) };
}

/** Runs `change` on an open reject at the given revision, in a transaction. */
async function changeOpenReject<T>(
  deps: WorkbenchDeps,
  actor: Actor,
  id: string,
  revision: number | undefined,
  change: (trx: Knex.Transaction, r: RejectRecord) => Promise<Result<T>>,
): Promise<Result<T>> {
  return deps.db.transaction(async (trx) => {
    const found = await rejectFor(deps, actor, id, 'rejects.edit', trx);
    if (!found.ok) return found;
    const r = found.value;
    if (revision !== undefined && r.revision !== revision) return refuse(409, `reject ${id} changed since you read it (revision ${revision}, now ${r.revision})`);
    if (r.status !== 'open') return refuse(409, `reject ${id} is ${r.status}, not open`);
    return change(trx, r);
  });
}

export interface SavedFix {
  revision: number;
  preview: PreviewView | null;
}

/** Saves an edit of a reject's fields (not yet resubmitted). */
export async function saveFix(deps: WorkbenchDeps, actor: Actor, id: string, input: { edits: Record<string, unknown>; revision?: number; lang?: Lang }): Promise<Result<SavedFix>> {
  return changeOpenReject(deps, actor, id, input.revision, async (trx, r) => {
    const target = await targetMapping(trx, r);
    const next = applyEdits(r, input.edits, target ? Object.keys(target.table.columns) : Object.keys(r.fields));
    if (!next.ok) return next;
    const before = effectiveFields(r);
    const changed = Object.keys(next.value).filter((f) => (before[f] ?? null) !== (next.value[f] ?? null));
    if (!changed.length) return { ok: true, value: { revision: r.revision, preview: null } };
    const [row] = await trx('pipeline.reject')
      .where('id', id)
      .update({ fixed_fields: JSON.stringify(next.value), revision: trx.raw('revision + 1'), decided_by: actor.id, decided_at: trx.fn.now(), updated_at: trx.fn.now() })
      .returning('revision');
    const pick = (f: Record<string, RawCell>) => Object.fromEntries(changed.map((k) => [k, f[k] ?? null]));
    await audit(trx, { actor: actor.id, action: 'reject.fix', target: `reject:${id}`, cityCode: r.cityCode, before: { revision: r.revision, fields: pick(before) }, after: { revision: row.revision, fields: pick(next.value) } });
    const p = await preview(deps, r, next.value);
    return { ok: true, value: { revision: row.revision as number, preview: p ? previewView(p.result, r.entity, input.lang ?? 'zh', false, p.headers) : null } };
  });
}

/**
 * Closes a reject as not a record (不是业务记录), with a justification. Its row's outcome becomes
 * `skipped` with code `skip.not_a_record`, and its source is accounted again: reports count it
 * as skipped, and rows read = loaded + rejected + skipped + duplicates still holds.
 */
export async function markNotARecord(deps: WorkbenchDeps, actor: Actor, id: string, input: { justification: string; revision?: number }): Promise<Result<{ revision: number }>> {
  const justification = input.justification.trim();
  const done = await changeOpenReject(deps, actor, id, input.revision, async (trx, r) => {
    if ([...justification].length < 4) return refuse(400, 'say why the row is not a record (at least 4 characters)');
    if (justification.length > 2_000) return refuse(400, 'the justification is too long');
    const [row] = await trx('pipeline.reject')
      .where('id', id)
      .update({ status: 'not_a_record', justification, revision: trx.raw('revision + 1'), decided_by: actor.id, decided_at: trx.fn.now(), updated_at: trx.fn.now() })
      .returning('revision');
    await trx('pipeline.row_outcome')
      .where({ stream_id: r.streamId, row_no: r.rowNo, mapping_version_id: r.mappingVersionId, outcome: 'rejected' })
      .update({ outcome: 'skipped', codes: trx.raw("'{skip.not_a_record}'::text[]"), decided_at: trx.fn.now() });
    await audit(trx, { actor: actor.id, action: 'reject.not_a_record', target: `reject:${id}`, cityCode: r.cityCode, before: { status: r.status, revision: r.revision, codes: r.codes }, after: { status: 'not_a_record', revision: row.revision, justification } });
    return { ok: true as const, value: { revision: row.revision as number, sourceFileId: r.sourceFileId, mappingVersionId: r.mappingVersionId } };
  });
  if (!done.ok) return done;
  await deps.refreshReport(done.value.sourceFileId, done.value.mappingVersionId);
  return { ok: true, value: { revision: done.value.revision } };
}

/**
 * Resubmits rejects through their cities' steward desks and waits for the outcome. Every reject
 * must be in the actor's scope, or nothing is sent.
 */
export async function resubmit(deps: WorkbenchDeps, actor: Actor, ids: readonly string[], opts: { mappingVersionId?: number } = {}): Promise<Result<ResubmitOutcome>> {
  const unique = [...new Set(ids.map(String))];
  if (!unique.length) return refuse(400, 'choose the rejects to resubmit');
  if (unique.length > 50_000) return refuse(400, 'too many rejects in one request');
  const rejects = await loadRejects(deps.db, unique);
  const cities = [...new Set(rejects.map((r) => r.cityCode))].sort();
  for (const city of cities.length ? cities : [undefined]) {
    const denied = await guard(deps, actor, 'rejects.resubmit', city, city ? `rejects:${unique.length}` : undefined);
    if (denied) return denied;
  }
  let total = emptyOutcome();
  const known = new Set(rejects.map((r) => r.id));
  total.refused = unique.filter((id) => !known.has(id)).map((rejectId) => ({ rejectId, why: 'not_found' as const }));
  for (const city of cities) {
    const rejectIds = rejects.filter((r) => r.cityCode === city).map((r) => r.id);
    await audit(deps.db, { actor: actor.id, action: 'reject.resubmit', target: `rejects:${rejectIds.length}`, cityCode: city, after: { rejectIds: rejectIds.slice(0, 1_000), mappingVersionId: opts.mappingVersionId } });
    total = mergeOutcomes(total, await deps.resubmitter.resubmit({ cityCode: city, rejectIds, actor: actor.id, mappingVersionId: opts.mappingVersionId }));
  }
  return { ok: true, value: total };
}

export interface TranslationOutcome extends RecordedTranslation {
  matched: number;
  outcome: ResubmitOutcome;
}

/** Adds a code translation to the city mapping and reprocesses every open reject it fixes. */
export async function translateCode(deps: WorkbenchDeps, actor: Actor, t: CodeTranslation): Promise<Result<TranslationOutcome>> {
  const denied = await guard(deps, actor, 'mapping.translate', t.cityCode, `city:${t.cityCode}`);
  if (denied) return denied;
  if (!DIVISION_CODE.test(t.cityCode)) return refuse(400, 'a city is a 6-digit division code');
  if (!deps.mappingsDir) return refuse(409, 'the workbench was started without a mappings directory (--mappings)');
  const recorded = await recordCodeTranslation(deps.db, actor.id, deps.mappingsDir, t);
  if (!recorded.ok) return refuse(400, recorded.problem);
  const ids = await rejectsWithUnmappedValue(deps.db, t.cityCode, t.table, t.raw);
  const outcome = ids.length ? await resubmit(deps, actor, ids, { mappingVersionId: recorded.value.mappingVersionId }) : { ok: true as const, value: emptyOutcome() };
  if (!outcome.ok) return outcome;
  return { ok: true, value: { ...recorded.value, matched: ids.length, outcome: outcome.value } };
}

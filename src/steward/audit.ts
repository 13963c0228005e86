/**
 * The audit trail (审计日志): every steward action, refusal and reveal — who, when, what, the
 * before and the after — in `pipeline.audit_log`, which a trigger keeps append-only. Entries are
 * written in the same transaction as the change they describe. Entries are stored as written and
 * read back with personal data in before/after masked as the workbench masks it — the page, the
 * API, the CSV export and the CLI all read through `toRow` — so the trail never shows in clear
 * what the reject view hides.
 */
import type { Knex } from 'knex';
import { maskDeep } from './masking';
import { neutralizeFormula } from './spreadsheet-safety';

export interface AuditEntry {
  actor: string;
  /** dotted verb: reject.fix, reject.resolved, access.denied, personal.reveal, login.failed … */
  action: string;
  target?: string;
  cityCode?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditRow extends Required<Omit<AuditEntry, 'cityCode'>> {
  id: string;
  at: Date;
  cityCode: string | null;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export async function audit(db: Knex | Knex.Transaction, entry: AuditEntry): Promise<void> {
  await auditMany(db, [entry]);
}

export async function auditMany(db: Knex | Knex.Transaction, entries: readonly AuditEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 1_000) {
    await db('pipeline.audit_log').insert(
      entries.slice(i, i + 1_000).map((e) => ({ actor: e.actor, action: e.action, target: e.target ?? null, city_code: e.cityCode ?? null, before: json(e.before), after: json(e.after) })),
    );
  }
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  city?: string;
  target?: string;
  /** ISO dates, inclusive, China Standard Time days */
  from?: string;
  to?: string;
}

function filtered(db: Knex, f: AuditFilter): Knex.QueryBuilder {
  const q = db('pipeline.audit_log');
  if (f.actor) void q.where('actor', f.actor);
  if (f.action) void q.where('action', 'like', `${f.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (f.city) void q.where('city_code', f.city);
  if (f.target) void q.where('target', f.target);
  if (f.from && /^\d{4}-\d{2}-\d{2}$/.test(f.from)) void q.where('at', '>=', `${f.from}T00:00:00+08:00`);
  if (f.to && /^\d{4}-\d{2}-\d{2}$/.test(f.to)) void q.whereRaw(`at < (?::timestamptz + interval '1 day')`, [`${f.to}T00:00:00+08:00`]);
  return q;
}

const toRow = (r: Record<string, unknown>): AuditRow => ({
  id: String(r.id),
  at: r.at as Date,
  actor: r.actor as string,
  action: r.action as string,
  target: (r.target as string | null) ?? '',
  cityCode: (r.city_code as string | null) ?? null,
  before: maskDeep(r.before ?? null),
  after: maskDeep(r.after ?? null),
});

export async function listAudit(db: Knex, f: AuditFilter, page: { offset: number; limit: number }): Promise<{ total: number; rows: AuditRow[] }> {
  const { n } = (await filtered(db, f).count('* as n').first()) as { n: string };
  const rows = (await filtered(db, f).orderBy('id', 'desc').offset(page.offset).limit(page.limit).select('*')) as Record<string, unknown>[];
  return { total: Number(n), rows: rows.map(toRow) };
}

/** Every matching entry, oldest first, in pages (an export may be long). */
export async function* allAudit(db: Knex, f: AuditFilter): AsyncGenerator<AuditRow> {
  let after = '0';
  for (;;) {
    const rows = (await filtered(db, f).where('id', '>', after).orderBy('id').limit(1_000).select('*')) as Record<string, unknown>[];
    if (!rows.length) return;
    for (const r of rows) yield toRow(r);
    after = String(rows[rows.length - 1]!.id);
  }
}

const csvField = (v: string): string => {
  const safe = neutralizeFormula(v);
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const AUDIT_CSV_HEADER = ['id', 'at', 'actor', 'action', 'target', 'city_code', 'before', 'after'];

/** One CSV line of an entry, formula-safe (the export is opened in Excel). */
export function auditCsvLine(r: AuditRow): string {
  return [r.id, r.at.toISOString(), r.actor, r.action, r.target, r.cityCode ?? '', json(r.before) ?? '', json(r.after) ?? ''].map((v) => csvField(String(v))).join(',') + '\r\n';
}

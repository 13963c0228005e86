/** The audit log for administrators: newest first, filterable, exportable. */
import type { AuditFilter, AuditRow } from '../../steward/audit';
import { chinaTime, html } from '../html';
import { texts } from '../i18n';
import { layout, type PageContext } from '../layout';

/** Before/after as compact JSON, personal data already masked by the audit store (src/steward/audit.ts). */
const shown = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

export function auditPage(pc: PageContext, f: AuditFilter, rows: AuditRow[], total: number) {
  const t = texts(pc.lang).audit;
  const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v) as [string, string][]).toString();
  const input = (name: keyof AuditFilter, label: string, type = 'text') => html`<label>${label}<input name="${name}" type="${type}" value="${f[name] ?? ''}"></label>`;
  const body = html`<form method="get" action="/audit" class="filters" id="audit-filters">
      ${input('actor', t.actor)}${input('action', t.action)}${input('city', t.city)}${input('target', t.target)}${input('from', t.from, 'date')}${input('to', t.to, 'date')}
      <button type="submit">${t.filter}</button>
      <a href="/audit/export.csv${q ? `?${q}` : ''}" id="audit-export">${t.export}</a>
    </form>
    <p>${total}</p>
    <table class="audit" id="audit"><thead><tr><th>${t.at}</th><th>${t.actor}</th><th>${t.action}</th><th>${t.target}</th><th>${t.city}</th><th>${t.before}</th><th>${t.after}</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr data-action="${r.action}"><td>${chinaTime(r.at, true)}</td><td>${r.actor}</td><td>${r.action}</td><td>${r.target}</td><td>${r.cityCode ?? ''}</td><td class="json">${shown(r.before)}</td><td class="json">${shown(r.after)}</td></tr>`,
    )}</tbody></table>`;
  return layout(pc, t.title, body, { active: 'audit' });
}

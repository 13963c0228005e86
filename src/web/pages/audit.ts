/** The audit log for administrators: newest first, filterable, numbered pages, in words — rows come masked
 * from the audit store (src/steward/audit.ts), and the lines mask again with the same helper (idempotent). */
import type { AuditFilter, AuditRow } from '../../steward/audit';
import { actionText, actorText, auditLines, changedFields, targetText } from '../../steward/audit-view';
import { cityName } from '../../steward/display';
import { chinaTime, html } from '../html';
import { texts } from '../i18n';
import { layout, type PageContext } from '../layout';
import { pager } from './pager';

export const AUDIT_PAGE_SIZE = 100;

const lines = (list: string[]) => list.map((l) => html`<div>${l}</div>`);

export function auditPage(pc: PageContext, f: AuditFilter, rows: AuditRow[], total: number, page = 1) {
  const t = texts(pc.lang).audit;
  const params = new URLSearchParams(Object.entries(f).filter(([, v]) => v) as [string, string][]);
  const q = params.toString();
  const href = (p: number) => {
    const x = new URLSearchParams(params);
    x.set('page', String(p));
    return `/audit?${x.toString()}`;
  };
  const input = (name: keyof AuditFilter, label: string, type = 'text') => html`<label>${label}<input name="${name}" id="audit-${name}" type="${type}" value="${f[name] ?? ''}"></label>`;
  const body = html`<form method="get" action="/audit" class="filters" id="audit-filters">
      ${input('actor', t.actor)}${input('action', t.action)}${input('city', t.city)}${input('target', t.target)}${input('from', t.from, 'date')}${input('to', t.to, 'date')}
      <button type="submit" class="primary">${t.filter}</button>
      <a href="/audit/export.csv${q ? `?${q}` : ''}" id="audit-export">${t.export}</a>
    </form>
    ${pager(pc, { id: 'audit-pager', page, total, pageSize: AUDIT_PAGE_SIZE, href, action: '/audit', hidden: params })}
    ${rows.length
      ? html`<table class="audit" id="audit"><thead><tr><th>${t.at}</th><th>${t.actor}</th><th>${t.action}</th><th>${t.target}</th><th>${t.city}</th><th>${t.before}</th><th>${t.after}</th></tr></thead>
    <tbody>${rows.map((r) => {
      const changed = r.action === 'reject.fix' ? changedFields(r.before, r.after, pc.lang) : null;
      return html`<tr data-action="${r.action}" data-target="${r.target}"><td>${chinaTime(r.at, true)}</td><td>${actorText(r.actor)}</td><td>${actionText(r.action, pc.lang)}</td><td>${targetText(r.target, pc.lang)}</td><td>${r.cityCode ? cityName(r.cityCode) : ''}</td>
        ${changed ? html`<td colspan="2" class="lines">${lines(changed)}</td>` : html`<td class="lines">${lines(auditLines(r.before, pc.lang))}</td><td class="lines">${lines(auditLines(r.after, pc.lang))}</td>`}</tr>`;
    })}</tbody></table>`
      : html`<p class="empty">${t.none}</p>`}`;
  return layout(pc, t.title, body, { active: 'audit' });
}

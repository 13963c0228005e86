/** The reject queue: filters (city, source, kind, reason, status), a page of rejects, resubmit many. */
import { reasonText } from '../../steward/reason-texts';
import type { RejectFilter } from '../../steward/reject-store';
import type { RejectSummaryView } from '../../steward/workbench';
import { cellDisplay, chinaTime, html } from '../html';
import { entityLabel, texts } from '../i18n';
import { layout, type PageContext } from '../layout';

export interface QueuePage {
  filter: RejectFilter;
  choices: { cities: string[]; sources: string[]; entities: string[]; reasons: string[] };
  total: number;
  rows: RejectSummaryView[];
  page: number;
  pageSize: number;
}

function select(name: string, label: string, current: string | undefined, options: { value: string; label: string }[], any: string) {
  return html`<label>${label}
    <select name="${name}" id="filter-${name}">
      <option value="">${any}</option>
      ${options.map((o) => html`<option value="${o.value}" ${o.value === current ? 'selected' : ''}>${o.label}</option>`)}
    </select></label>`;
}

export function queuePage(pc: PageContext, q: QueuePage) {
  const t = texts(pc.lang);
  const tq = t.queue;
  const f = q.filter;
  const filters = html`<form method="get" action="/rejects" class="filters" id="filters">
    ${select('city', tq.city, f.city, q.choices.cities.map((c) => ({ value: c, label: c })), tq.any)}
    ${select('source', tq.source, f.source, q.choices.sources.map((s) => ({ value: s, label: s })), tq.any)}
    ${select('entity', tq.entity, f.entity, q.choices.entities.map((e) => ({ value: e, label: entityLabel(t, e) })), tq.any)}
    ${select('reason', tq.reason, f.reason, q.choices.reasons.map((r) => ({ value: r, label: `${reasonText(r, pc.lang).title} (${r})` })), tq.any)}
    <label>${tq.status}
      <select name="status" id="filter-status">
        ${['open', 'resolved', 'not_a_record', 'all'].map((s) => html`<option value="${s}" ${(f.status ?? 'open') === s ? 'selected' : ''}>${t.statuses[s]}</option>`)}
      </select></label>
    <button type="submit" id="apply-filters">${tq.apply}</button>
  </form>`;

  const params = (page: number) => {
    const p = new URLSearchParams();
    for (const k of ['city', 'source', 'entity', 'reason', 'status'] as const) if (f[k]) p.set(k, String(f[k]));
    p.set('page', String(page));
    return `/rejects?${p.toString()}`;
  };
  const pages = Math.max(1, Math.ceil(q.total / q.pageSize));
  const table = q.rows.length
    ? html`<form method="post" action="/rejects/resubmit" id="resubmit-form">
      <input type="hidden" name="_csrf" value="${pc.csrfToken}">
      <table class="queue" id="queue">
        <thead><tr>
          <th><input type="checkbox" id="select-all" title="${tq.selectAll}"></th>
          <th>${tq.id}</th><th>${tq.city}</th><th>${tq.entity}</th><th>${tq.source}</th><th>${tq.row}</th><th>${tq.codes}</th><th>${tq.glimpse}</th><th>${tq.status}</th><th>${tq.updated}</th>
        </tr></thead>
        <tbody>
        ${q.rows.map(
          (r) => html`<tr data-reject="${r.id}">
            <td>${r.status === 'open' ? html`<input type="checkbox" name="ids" value="${r.id}" class="pick">` : ''}</td>
            <td><a href="/rejects/${r.id}" class="open-reject">#${r.id}</a></td>
            <td>${r.cityCode}</td>
            <td>${entityLabel(t, r.entity)}</td>
            <td>${r.sourceId}${r.stream ? html` / ${r.stream}` : ''}</td>
            <td>${r.rowNo}</td>
            <td>${r.codes.map((c) => html`<span class="code" title="${c}">${reasonText(c, pc.lang).title}</span>`)}</td>
            <td class="glimpse">${Object.entries(r.glimpse).map(([k, v]) => html`<span><em>${k}</em> ${cellDisplay(v)}</span>`)}</td>
            <td class="status-${r.status}">${t.statuses[r.status] ?? r.status}</td>
            <td>${chinaTime(r.updatedAt)}</td>
          </tr>`,
        )}
        </tbody>
      </table>
      <p><button type="submit" id="resubmit-selected">${tq.resubmitSelected}</button></p>
    </form>`
    : html`<p class="empty" id="queue-empty">${tq.empty}</p>`;
  const pager = html`<p class="pager"><span id="queue-total">${tq.total(q.total)}</span>
    ${q.page > 1 ? html`<a href="${params(q.page - 1)}">${tq.prev}</a>` : ''}
    <span>${q.page} / ${pages}</span>
    ${q.page < pages ? html`<a href="${params(q.page + 1)}">${tq.next}</a>` : ''}</p>`;
  return layout(pc, tq.title, html`${filters}${pager}${table}`, { active: 'queue' });
}

/**
 * The reject queue: search (name, ID number, row) and filters (city, source, kind, reason,
 * status), numbered pages, and resubmission of the rejects picked — or of every reject the
 * filter selects, across all its pages.
 */
import { reasonText } from '../../steward/reason-texts';
import type { FilterChoices, RejectFilter } from '../../steward/reject-store';
import { cityName } from '../../steward/display';
import type { RejectSummaryView } from '../../steward/workbench';
import { chinaTime, html } from '../html';
import { entityLabel, texts } from '../i18n';
import { layout, type PageContext } from '../layout';
import { filterParams } from '../requests';
import { pager } from './pager';

export interface QueuePage {
  filter: RejectFilter;
  choices: FilterChoices;
  total: number;
  rows: RejectSummaryView[];
  page: number;
  pageSize: number;
  /** what a bulk action did, shown on top */
  notice?: string;
}

function select(name: string, label: string, current: string | undefined, options: { value: string; label: string }[], any: string) {
  return html`<label>${label}
    <select name="${name}" id="filter-${name}">
      <option value="">${any}</option>
      ${options.map((o) => html`<option value="${o.value}" ${o.value === current ? 'selected' : ''}>${o.label}</option>`)}
    </select></label>`;
}

const text = (name: string, id: string, label: string, value: string | number | undefined, attrs: { placeholder?: string; inputmode?: string } = {}) =>
  html`<label>${label}<input type="search" name="${name}" id="${id}" value="${value ?? ''}" placeholder="${attrs.placeholder ?? ''}" inputmode="${attrs.inputmode ?? 'text'}" autocomplete="off"></label>`;

export function queuePage(pc: PageContext, q: QueuePage) {
  const t = texts(pc.lang);
  const tq = t.queue;
  const f = q.filter;
  const filters = html`<form method="get" action="/rejects" class="filters" id="filters">
    <div class="search-row">
      ${text('name', 'search-name', tq.searchName, f.name, { placeholder: tq.searchNameHint })}
      ${text('id_number', 'search-id', tq.searchId, f.idNumber, { placeholder: tq.searchIdHint })}
      ${text('row', 'search-row', tq.searchRow, f.rowNo, { inputmode: 'numeric' })}
    </div>
    ${select('city', tq.city, f.city, q.choices.cities.map((c) => ({ value: c, label: cityName(c) })), tq.any)}
    ${select('source', tq.source, f.source, q.choices.sources.map((s) => ({ value: s, label: q.choices.sourceFiles[s] ?? s })), tq.any)}
    ${select('entity', tq.entity, f.entity, q.choices.entities.map((e) => ({ value: e, label: entityLabel(t, e) })), tq.any)}
    ${select('reason', tq.reason, f.reason, q.choices.reasons.map((r) => ({ value: r, label: reasonText(r, pc.lang).title })), tq.any)}
    <label>${tq.status}
      <select name="status" id="filter-status">
        ${['open', 'resolved', 'not_a_record', 'all'].map((s) => html`<option value="${s}" ${(f.status ?? 'open') === s ? 'selected' : ''}>${t.statuses[s]}</option>`)}
      </select></label>
    <button type="submit" id="apply-filters" class="primary">${tq.apply}</button>
    <a href="/rejects" id="clear-filters">${tq.clear}</a>
  </form>`;

  const params = filterParams(f);
  if (q.pageSize !== 50) params.set('size', String(q.pageSize));
  const href = (page: number) => {
    const p = new URLSearchParams(params);
    p.set('page', String(page));
    return `/rejects?${p.toString()}`;
  };
  const openFilter = (f.status ?? 'open') === 'open';
  const table = q.rows.length
    ? html`<form method="post" action="/rejects/resubmit" id="resubmit-form">
      <input type="hidden" name="_csrf" value="${pc.csrfToken}">
      ${[...params.entries()].map(([k, v]) => html`<input type="hidden" name="filter.${k}" value="${v}">`)}
      <p class="bulk">
        <label><input type="checkbox" id="select-page"> ${tq.selectPage}</label>
        ${openFilter ? html`<label class="select-filter"><input type="checkbox" name="all" value="1" id="select-filter" data-total="${q.total}"> ${tq.selectFilter(q.total)}</label>` : ''}
        <span id="selected-count" data-none="${tq.noneSelected}" data-some="${tq.someSelected}" data-all="${tq.selectFilter(q.total)}"></span>
        <button type="submit" id="resubmit-selected">${tq.resubmitSelected}</button>
      </p>
      <table class="queue" id="queue">
        <thead><tr>
          <th></th><th>${tq.id}</th><th>${tq.city}</th><th>${tq.entity}</th><th>${tq.source}</th><th>${tq.row}</th><th>${tq.codes}</th><th>${tq.glimpse}</th><th>${tq.status}</th><th>${tq.updated}</th>
        </tr></thead>
        <tbody>
        ${q.rows.map(
          (r) => html`<tr data-reject="${r.id}">
            <td>${r.status === 'open' ? html`<input type="checkbox" name="ids" value="${r.id}" class="pick" aria-label="${tq.pick(r.id)}">` : ''}</td>
            <td><a href="/rejects/${r.id}" class="open-reject">${r.id}</a></td>
            <td>${r.cityName}</td>
            <td>${entityLabel(t, r.entity)}</td>
            <td>${r.fileName}${r.stream ? html`<span class="sheet"> · ${r.stream}</span>` : ''}</td>
            <td class="num">${r.rowNo}</td>
            <td>${r.codes.map((c) => html`<span class="code">${reasonText(c, pc.lang).title}</span>`)}</td>
            <td class="glimpse">${r.glimpseRows.map((g) => html`<span data-field="${g.key}"><em>${g.label}</em> ${g.text}</span>`)}</td>
            <td class="status-${r.status}">${t.statuses[r.status] ?? r.status}</td>
            <td>${chinaTime(r.updatedAt)}</td>
          </tr>`,
        )}
        </tbody>
      </table>
    </form>`
    : html`<p class="empty" id="queue-empty">${tq.empty}</p>`;
  const paging = (id: string) => pager(pc, { id, page: q.page, total: q.total, pageSize: q.pageSize, href, action: '/rejects', hidden: params });
  const notice = q.notice ? html`<p class="notice ok" id="notice">${q.notice}</p>` : '';
  return layout(pc, tq.title, html`${notice}${filters}${paging('queue-pager')}${table}${q.rows.length > 10 ? paging('queue-pager-bottom') : ''}`, { active: 'queue' });
}

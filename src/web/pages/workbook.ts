/** Export and import of rejects from the browser: the Excel round trip of `tongchou rejects export|import`. */
import type { ImportReport } from '../../steward/reject-workbook';
import { cityName } from '../../steward/display';
import { reasonText } from '../../steward/reason-texts';
import { html } from '../html';
import { texts } from '../i18n';
import { layout, type PageContext } from '../layout';

export function workbookPage(pc: PageContext, opts: { cities: string[]; reasons: string[]; report?: ImportReport; error?: string }) {
  const t = texts(pc.lang).workbook;
  const csrf = html`<input type="hidden" name="_csrf" value="${pc.csrfToken}">`;
  const result = opts.report
    ? html`<section id="import-result"><h2>${t.result}</h2>
      <p class="counts">${Object.entries(opts.report.counts).filter(([, n]) => n > 0).map(([k, n]) => html`<span>${t.counts[k] ?? k} <strong id="import-${k}">${n}</strong></span>`)}
        <span>${t.changedRows(opts.report.rows.filter((r) => r.status !== 'unchanged').length)}</span></p>
      ${opts.report.rows.some((r) => r.status !== 'unchanged')
        ? html`<table id="import-rows"><thead><tr><th>${t.sheet}</th><th>${t.row}</th><th>${t.reject}</th><th>${t.status}</th><th>${t.messages}</th></tr></thead><tbody>
          ${opts.report.rows.filter((r) => r.status !== 'unchanged').map((r) => html`<tr data-status="${r.status}" data-reject="${r.rejectId ?? ''}"><td>${r.sheet}</td><td>${r.rowNo}</td><td>${r.rejectId ? html`<a href="/rejects/${r.rejectId}">${r.rejectId}</a>` : '—'}</td><td>${t.counts[r.status] ?? r.status}</td><td>${r.messages.map((m) => html`<div>${m}</div>`)}</td></tr>`)}
        </tbody></table>`
        : ''}
    </section>`
    : '';
  const error = opts.error ? html`<p class="notice error" id="notice">${opts.error}</p>` : '';
  const body = html`<p>${t.intro}</p>${error}${result}
    <section><h2>${t.exportTitle}</h2>
    <form method="get" action="/workbook/export" id="export-form" class="filters">
      <label>${t.city}<select name="city" id="export-city">${opts.cities.map((c) => html`<option value="${c}">${cityName(c)}</option>`)}</select></label>
      <label>${t.reason}<select name="reason" id="export-reason"><option value="">${t.any}</option>${opts.reasons.map((r) => html`<option value="${r}">${reasonText(r, pc.lang).title}</option>`)}</select></label>
      <button type="submit" id="export-submit" class="primary">${t.export}</button>
    </form></section>
    <section><h2>${t.importTitle}</h2>
    <form method="post" action="/workbook/import" enctype="multipart/form-data" id="import-form" class="filters">
      ${csrf}
      <label>${t.file}<input type="file" name="workbook" id="import-file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></label>
      <button type="submit" id="import-submit" class="primary">${t.import}</button>
    </form></section>`;
  return layout(pc, t.title, body, { active: 'workbook' });
}

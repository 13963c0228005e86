/** Fixing many at once: untranslated code values of open rejects, and the form that adds one. */
import type { TranslationOutcome } from '../../steward/workbench';
import { cellDisplay, html } from '../html';
import { texts } from '../i18n';
import { layout, type PageContext } from '../layout';
import { outcomeSection } from './outcome';

export interface UnmappedValue {
  cityCode: string;
  field: string;
  table: string | null;
  raw: string;
  count: number;
}

export function translationsPage(pc: PageContext, values: UnmappedValue[], opts: { result?: TranslationOutcome; error?: string; form?: Record<string, string> } = {}) {
  const t = texts(pc.lang).translations;
  const form = opts.form ?? {};
  const list = values.length
    ? html`<table class="unmapped" id="unmapped"><thead><tr><th>${t.city}</th><th>${t.field}</th><th>${t.table}</th><th>${t.raw}</th><th>${t.count}</th></tr></thead>
      <tbody>${values.map(
        (v) => html`<tr data-city="${v.cityCode}" data-table="${v.table ?? ''}" data-raw="${v.raw}"><td>${v.cityCode}</td><td>${v.field}</td><td>${v.table ?? '—'}</td><td>${cellDisplay(v.raw)}</td><td>${v.count}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="empty">${t.none}</p>`;
  const result = opts.result
    ? html`<div class="notice ok" id="translation-result">
        <p>${opts.result.changed ? t.newVersion(opts.result.mappingVersionId) : t.unchanged} · ${opts.result.mappingName}</p>
        <p id="translation-matched">${t.matched(opts.result.matched)}</p>
        ${outcomeSection(pc, opts.result.outcome)}</div>`
    : '';
  const error = opts.error ? html`<p class="notice error" id="notice">${opts.error}</p>` : '';
  const body = html`<p>${t.intro}</p>${error}${result}
    <form method="post" action="/translations" id="translation-form" class="stacked">
      <input type="hidden" name="_csrf" value="${pc.csrfToken}">
      <label>${t.city}<input name="city" id="tr-city" required pattern="\\d{6}" value="${form.city ?? ''}"></label>
      <label>${t.table}<input name="table" id="tr-table" required value="${form.table ?? ''}"></label>
      <label>${t.raw}<input name="raw" id="tr-raw" required value="${form.raw ?? ''}"></label>
      <label>${t.value}<input name="value" id="tr-value" required value="${form.value ?? ''}"></label>
      <button type="submit" id="tr-submit" class="primary">${t.submit}</button>
    </form>
    <h2>${t.unmapped}</h2>${list}`;
  return layout(pc, t.title, body, { active: 'translations' });
}

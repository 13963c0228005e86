/**
 * Fixing many at once (代码对照): the untranslated code values of open rejects, each with a
 * dropdown of the provincial codes its field allows (mappings/province code tables, by meaning),
 * and the outcome of adding one.
 */
import { codeLabel, cityName } from '../../steward/display';
import type { UnmappedValue } from '../../steward/code-translation';
import type { TranslationOutcome } from '../../steward/workbench';
import { html } from '../html';
import { entityLabel, texts } from '../i18n';
import { layout, type PageContext } from '../layout';
import { outcomeSection } from './outcome';

export interface UnmappedRow extends UnmappedValue {
  /** the field's label (source header, else the provincial label) */
  label: string;
  /** the code table's name as the steward knows it */
  tableLabel: string;
  /** the provincial codes the field allows; null when it declares none (free text) */
  allowed: readonly string[] | null;
}

export function translationsPage(pc: PageContext, values: UnmappedRow[], opts: { result?: TranslationOutcome; error?: string } = {}) {
  const tt = texts(pc.lang);
  const t = tt.translations;
  const csrf = html`<input type="hidden" name="_csrf" value="${pc.csrfToken}">`;
  const row = (v: UnmappedRow, i: number) => {
    const choose = v.allowed
      ? html`<select name="value" required class="tr-value" id="tr-value-${i}" aria-label="${t.allowed}"><option value="">${t.choose}</option>${v.allowed.map((code) => html`<option value="${code}">${codeLabel(v.field, code, pc.lang) ?? code}</option>`)}</select>`
      : html`<input name="value" required class="tr-value" id="tr-value-${i}" aria-label="${t.allowed}">`;
    return html`<tr data-city="${v.cityCode}" data-table="${v.table ?? ''}" data-raw="${v.raw}">
      <td>${cityName(v.cityCode)}</td><td>${v.entity ? entityLabel(tt, v.entity) : '—'}</td><td>${v.label}</td><td>${v.tableLabel}</td><td class="raw">${v.raw || '∅'}</td><td class="num">${v.count}</td>
      <td>${v.table
        ? html`<form method="post" action="/translations" class="inline tr-form">${csrf}<input type="hidden" name="city" value="${v.cityCode}"><input type="hidden" name="table" value="${v.table}"><input type="hidden" name="raw" value="${v.raw}">${choose} <button type="submit" class="primary tr-submit">${t.add}</button></form>`
        : '—'}</td></tr>`;
  };
  const list = values.length
    ? html`<table class="unmapped" id="unmapped"><thead><tr><th>${t.city}</th><th>${t.entity}</th><th>${t.field}</th><th>${t.table}</th><th>${t.raw}</th><th>${t.count}</th><th>${t.value}</th></tr></thead>
      <tbody>${values.map(row)}</tbody></table>`
    : html`<p class="empty" id="unmapped-none">${t.none}</p>`;
  const result = opts.result
    ? html`<div class="notice ok" id="translation-result">
        <p>${opts.result.changed ? t.newVersion(opts.result.mappingVersionId) : t.unchanged}</p>
        <p id="translation-matched">${t.matched(opts.result.matched)}</p>
        ${outcomeSection(pc, opts.result.outcome)}</div>`
    : '';
  const error = opts.error ? html`<p class="notice error" id="notice">${opts.error}</p>` : '';
  const body = html`<p>${t.intro}</p>${error}${result}<h2>${t.unmapped}</h2>${list}`;
  return layout(pc, t.title, body, { active: 'translations' });
}

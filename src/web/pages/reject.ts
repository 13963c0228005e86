/**
 * One reject: where it came from, every reason in plain words with its rule, the row as it was
 * in the file, the record it would become, and — while it is open — the fix form with live
 * validation, resubmission and "not a record".
 */
import type { PreviewView, ReasonView, RejectView } from '../../steward/workbench';
import { cellDisplay, chinaTime, html } from '../html';
import { entityLabel, texts } from '../i18n';
import { layout, type PageContext } from '../layout';

export interface RejectPageOptions {
  canEdit: boolean;
  canReveal: boolean;
  /** a message at the top: saved, or why an action was refused */
  notice?: { kind: 'ok' | 'error'; text: string };
}

export function reasonList(reasons: ReasonView[], pc: PageContext, id = 'reasons') {
  const t = texts(pc.lang).reject;
  return html`<ul class="reasons" id="${id}">${reasons.map(
    (r) => html`<li data-code="${r.code}">
      <strong>${r.title}</strong> <code>${r.code}</code>${r.field ? html` · <em>${r.field}</em>` : ''}${r.detail ? html` · <span class="detail">${r.detail}</span>` : ''}
      <div class="explain">${r.explain}</div>
      <div class="rule">${t.rule}：${r.rule}</div>
    </li>`,
  )}</ul>`;
}

export function previewPanel(p: PreviewView | null, pc: PageContext) {
  const t = texts(pc.lang).reject;
  const verdicts = JSON.stringify(t.verdict);
  const entities = JSON.stringify(texts(pc.lang).entities);
  if (!p) return html`<div id="preview" class="preview" data-verdicts="${verdicts}" data-entities="${entities}"></div>`;
  return html`<div id="preview" class="preview verdict-${p.kind}" data-kind="${p.kind}" data-verdicts="${verdicts}" data-entities="${entities}">
    <p class="verdict">${t.verdict[p.kind]}</p>
    ${p.reasons.length ? reasonList(p.reasons, pc, 'preview-reasons') : ''}
    ${p.warnings.length ? reasonList(p.warnings, pc, 'preview-warnings') : ''}
    ${p.records.map(
      (rec) => html`<table class="record"><caption>${entityLabel(texts(pc.lang), rec.entity)}${rec.naturalKey ? html` · ${rec.naturalKey}` : ''}</caption>
        ${Object.entries(rec.payload).map(([k, v]) => html`<tr><th>${k}</th><td>${cellDisplay(v)}</td></tr>`)}
      </table>`,
    )}
    <p class="note">${t.referencesNote}</p>
  </div>`;
}

export function rejectPage(pc: PageContext, v: RejectView, opts: RejectPageOptions) {
  const tt = texts(pc.lang);
  const t = tt.reject;
  const open = v.status === 'open';
  const current = v.fixedFields ?? v.fields;
  const locator = html`<table class="locator" id="locator">
    <tr><th>${t.file}</th><td>${v.locator.path}</td></tr>
    <tr><th>${t.sourceKey}</th><td>${v.locator.sourceKey}</td></tr>
    <tr><th>${t.version}</th><td>${v.locator.sourceVersion} (${v.locator.format})</td></tr>
    <tr><th>${t.stream}</th><td>${cellDisplay(v.locator.stream)}</td></tr>
    <tr><th>${t.row}</th><td id="locator-row">${v.locator.rowNo}</td></tr>
    <tr><th>${t.mapping}</th><td>${v.locator.mappingName} #${v.locator.mappingVersionId}</td></tr>
    <tr><th>${t.registered}</th><td>${chinaTime(v.locator.registeredAt, true)}</td></tr>
  </table>`;

  const maskedField = (f: string) => v.personalFields.includes(f) && !v.revealed;
  const fieldRows = v.editableFields.map((f) => {
    const shown = current[f];
    const input = maskedField(f)
      ? html`<input type="text" name="k.${f}" data-field="${f}" data-original="" placeholder="${cellDisplay(shown)} (${t.keepHint})" autocomplete="off">`
      : html`<input type="text" name="f.${f}" data-field="${f}" data-original="${shown === null || shown === undefined ? '' : String(shown)}" value="${shown === null || shown === undefined ? '' : String(shown)}" autocomplete="off">`;
    return html`<tr data-field-row="${f}"><th>${f}</th><td class="raw">${cellDisplay(v.fields[f])}</td><td>${open && opts.canEdit ? input : cellDisplay(shown)}</td></tr>`;
  });

  const csrf = html`<input type="hidden" name="_csrf" value="${pc.csrfToken}">`;
  const fixForm = html`<form method="post" action="/rejects/${v.id}/fix" id="fix-form" data-reject="${v.id}">
    ${csrf}<input type="hidden" name="revision" value="${v.revision}">
    <table class="fields" id="fields">
      <thead><tr><th>${t.field}</th><th>${t.original}</th><th>${open && opts.canEdit ? t.newValue : t.current}</th></tr></thead>
      <tbody>${fieldRows}</tbody>
    </table>
    ${open && opts.canEdit
      ? html`<p class="actions"><button type="submit" name="action" value="save" id="save">${t.save}</button>
        <button type="submit" name="action" value="save_resubmit" id="save-resubmit" class="primary">${t.saveResubmit}</button></p>`
      : ''}
  </form>`;

  const notARecord = open && opts.canEdit
    ? html`<details class="not-a-record"><summary>${t.notARecord}</summary>
      <form method="post" action="/rejects/${v.id}/not-a-record" id="not-a-record-form">
        ${csrf}<input type="hidden" name="revision" value="${v.revision}">
        <label>${t.justification}<textarea name="justification" id="justification" required minlength="4"></textarea></label>
        <button type="submit" id="confirm-not-a-record">${t.confirmNotARecord}</button>
      </form></details>`
    : '';

  const privacy = v.revealed
    ? html`<p class="revealed" id="revealed">${t.revealed}</p>`
    : html`<p class="masked-note">${t.maskedNote}
      ${opts.canReveal ? html`<form method="post" action="/rejects/${v.id}/reveal" class="inline">${csrf}<button type="submit" id="reveal">${t.reveal}</button></form>` : ''}</p>`;

  const status = html`<p class="status" id="reject-status" data-status="${v.status}">
    ${t.status}：<strong class="status-${v.status}">${tt.statuses[v.status] ?? v.status}</strong> · ${entityLabel(tt, v.entity)} · ${v.cityCode} · ${t.revision} ${v.revision}
    ${v.attempts ? html` · ${t.attempts} ${v.attempts}` : ''}
    ${v.decidedBy ? html` · ${t.decided} ${v.decidedBy} ${v.decidedAt ? chinaTime(v.decidedAt) : ''}` : ''}
    ${v.justification ? html`<br>${t.justification}：${v.justification}` : ''}
    ${v.status === 'resolved' && v.resolution ? html`<br>${t.resolvedBy}：stream ${String(v.resolution.streamId)} row ${String(v.resolution.rowNo)}` : ''}
  </p>`;

  const notice = opts.notice ? html`<p class="notice ${opts.notice.kind}" id="notice">${opts.notice.text}</p>` : '';
  const body = html`${notice}${status}${privacy}
    <section><h2>${t.reasons}</h2>${reasonList(v.reasons, pc)}</section>
    <section><h2>${t.raw}</h2>${fixForm}</section>
    <section><h2>${t.willBecome}</h2>${previewPanel(v.preview, pc)}</section>
    ${notARecord}
    <section><h2>${t.locator}</h2>${locator}</section>
    <p><a href="/rejects">${t.back}</a></p>`;
  return layout(pc, t.title(v.id), body, { active: 'queue' });
}

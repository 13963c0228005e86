/**
 * One reject: where it came from, every reason in plain words with its rule, the row as it was
 * in the file, the record it would become, and — while it is open — the fix form with live
 * validation, resubmission and "not a record".
 */
import { actorText } from '../../steward/audit-view';
import { cellText, serialAsDate } from '../../steward/display';
import { detailText } from '../../steward/reason-details';
import type { HistoryEntry } from '../../steward/reject-history';
import type { PreviewView, ReasonView, RejectView } from '../../steward/workbench';
import { chinaTime, html } from '../html';
import { entityLabel, texts } from '../i18n';
import { layout, type PageContext } from '../layout';

export interface RejectPageOptions {
  canEdit: boolean;
  canReveal: boolean;
  /** a message at the top: saved, or why an action was refused */
  notice?: { kind: 'ok' | 'error'; text: string };
  history?: HistoryEntry[];
}

export function reasonList(reasons: ReasonView[], pc: PageContext, id = 'reasons') {
  const t = texts(pc.lang).reject;
  return html`<ul class="reasons" id="${id}">${reasons.map(
    (r) => html`<li data-code="${r.code}">
      <strong>${r.title}</strong>${r.field ? html` · <em data-field="${r.field}">${r.fieldLabel ?? r.field}</em>` : ''}${r.detail ? html` · <span class="detail">${detailText(r.detail, pc.lang)}</span>` : ''}
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
        ${rec.rows.map((row) => html`<tr data-key="${row.key}"><th>${row.label}</th><td>${row.text}</td></tr>`)}
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
    <tr><th>${t.file}</th><td>${v.fileName}</td></tr>
    <tr><th>${t.version}</th><td>${t.fileVersion(v.locator.sourceVersion)}</td></tr>
    <tr><th>${t.stream}</th><td>${v.locator.stream || '—'}</td></tr>
    <tr><th>${t.row}</th><td id="locator-row">${v.locator.rowNo}</td></tr>
    <tr><th>${t.mapping}</th><td>${t.mappingVersion(v.locator.mappingVersionId)}</td></tr>
    <tr><th>${t.registered}</th><td>${chinaTime(v.locator.registeredAt, true)}</td></tr>
  </table>`;

  const maskedField = (f: string) => v.personalFields.includes(f) && !v.revealed;
  const fieldRows = v.editableFields.map((f) => {
    const shown = current[f];
    // a date serial is edited as the date it means (given back unchanged, it is no edit)
    const value = shown === null || shown === undefined ? '' : (serialAsDate(f, shown, v.date1904) ?? String(shown));
    const input = maskedField(f)
      ? html`<input type="text" name="k.${f}" data-field="${f}" data-original="" placeholder="${cellText(f, shown, v.date1904)}（${t.keepHint}）" autocomplete="off">`
      : html`<input type="text" name="f.${f}" data-field="${f}" data-original="${value}" value="${value}" autocomplete="off">`;
    return html`<tr data-field-row="${f}"><th>${v.labels[f] ?? f}</th><td class="raw">${cellText(f, v.fields[f], v.date1904)}</td><td>${open && opts.canEdit ? input : cellText(f, shown, v.date1904)}</td></tr>`;
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
    ${t.status}：<strong class="status-${v.status}">${tt.statuses[v.status] ?? v.status}</strong> · ${entityLabel(tt, v.entity)} · ${v.cityName} · ${t.revision} ${v.revision}
    ${v.attempts ? html` · ${t.attempts} ${v.attempts}` : ''}
    ${v.decidedBy ? html` · ${t.decided} ${actorText(v.decidedBy)} ${v.decidedAt ? chinaTime(v.decidedAt) : ''}` : ''}
    ${v.justification ? html`<br>${t.justification}：${v.justification}` : ''}
    ${v.status === 'resolved' && v.resolution ? html`<br>${t.resolvedBy}` : ''}
  </p>`;

  const notice = opts.notice ? html`<p class="notice ${opts.notice.kind}" id="notice">${opts.notice.text}</p>` : '';
  const body = html`${notice}${status}${privacy}
    <section><h2>${t.reasons}</h2>${reasonList(v.reasons, pc)}</section>
    <section><h2>${t.raw}</h2>${fixForm}</section>
    <section><h2>${t.willBecome}</h2>${previewPanel(v.preview, pc)}</section>
    ${notARecord}
    <section><h2>${t.locator}</h2>${locator}</section>
    ${historySection(pc, opts.history ?? [], v.createdAt)}
    <p><a href="/rejects">${t.back}</a></p>`;
  return layout(pc, t.title(v.id), body, { active: 'queue' });
}

export function historySection(pc: PageContext, entries: HistoryEntry[], createdAt: string) {
  const t = texts(pc.lang).history;
  return html`<section><h2>${t.title}</h2>
    <table class="history" id="history"><thead><tr><th>${t.at}</th><th>${t.actor}</th><th>${t.what}</th><th>${t.detail}</th></tr></thead>
    <tbody>
      <tr data-action="created"><td>${chinaTime(createdAt)}</td><td>—</td><td>${t.created}</td><td></td></tr>
      ${entries.map((e) => html`<tr data-action="${e.action}"><td>${chinaTime(e.at)}</td><td>${e.actor}</td><td>${e.what}</td><td>${e.lines.map((l) => html`<div>${l}</div>`)}</td></tr>`)}
    </tbody></table></section>`;
}

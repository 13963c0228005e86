/** What a resubmission did: counts, refusals, and each reject's result with links back. */
import type { ResubmitOutcome } from '../../../workflows/steward-desk';
import { reasonText } from '../../steward/reason-texts';
import { html, type Html } from '../html';
import { texts } from '../i18n';
import { layout, type PageContext } from '../layout';

export function outcomeSection(pc: PageContext, o: ResubmitOutcome): Html {
  const t = texts(pc.lang).outcome;
  return html`<section class="outcome" id="outcome">
    <p class="counts">
      <span>${t.staged} <strong id="count-staged">${o.staged}</strong></span>
      <span>${t.loaded} <strong id="count-loaded">${o.loaded}</strong></span>
      <span>${t.rejected} <strong id="count-rejected">${o.rejected}</strong></span>
      <span>${t.skipped} <strong id="count-skipped">${o.skipped}</strong></span>
      <span>${t.refused} <strong id="count-refused">${o.refused.length}</strong></span>
    </p>
    ${o.outcomes.length
      ? html`<h2>${t.perReject}</h2><table class="outcomes"><tbody>${o.outcomes.map(
          (x) => html`<tr data-outcome="${x.outcome}" data-reject="${x.rejectId}"><td><a href="/rejects/${x.rejectId}">#${x.rejectId}</a></td>
            <td class="outcome-${x.outcome}">${t[x.outcome]}</td>
            <td>${x.codes.map((c) => html`<span class="code" title="${c}">${reasonText(c, pc.lang).title}</span>`)}</td></tr>`,
        )}</tbody></table>`
      : ''}
    ${o.refused.length ? html`<ul class="refused">${o.refused.map((r) => html`<li>#${r.rejectId}: ${t.why[r.why] ?? r.why}</li>`)}</ul>` : ''}
  </section>`;
}

export function outcomePage(pc: PageContext, o: ResubmitOutcome): Html {
  return layout(pc, texts(pc.lang).outcome.title, html`${outcomeSection(pc, o)}<p><a href="/rejects">${texts(pc.lang).reject.back}</a></p>`, { active: 'queue' });
}

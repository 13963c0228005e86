/** The reason guide: every code explained, with the rule behind it. */
import { EXPLAINED_CODES, reasonText } from '../../steward/reason-texts';
import { html } from '../html';
import { texts } from '../i18n';
import { layout, type PageContext } from '../layout';

export function reasonsPage(pc: PageContext) {
  const t = texts(pc.lang).reasons;
  const rule = texts(pc.lang).reject.rule;
  return layout(
    pc,
    t.title,
    html`<p>${t.intro}</p><dl class="glossary" id="glossary">${EXPLAINED_CODES.map((code) => {
      const r = reasonText(code, pc.lang);
      return html`<dt id="code-${code}">${r.title} <code>${code}</code></dt><dd>${r.explain}<div class="rule">${rule}：${r.rule}</div></dd>`;
    })}</dl>`,
    { active: 'reasons' },
  );
}

/** Page links: first, last and the pages around the current one, with a "go to page" box. */
import { html, type Html } from '../html';
import { texts } from '../i18n';
import type { PageContext } from '../layout';

/** The page numbers to link: 1, the current ±2, the last; null where pages are left out. */
export function pageWindow(page: number, pages: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let p = 1; p <= pages; p += 1) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 2) out.push(p);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}

export function pager(pc: PageContext, opts: { id: string; page: number; total: number; pageSize: number; href: (page: number) => string; action: string; hidden: URLSearchParams }): Html {
  const t = texts(pc.lang).pager;
  const pages = Math.max(1, Math.ceil(opts.total / opts.pageSize));
  const links = pageWindow(opts.page, pages).map((p) =>
    p === null ? html`<span class="gap">…</span>` : p === opts.page ? html`<strong class="current" aria-current="page">${p}</strong>` : html`<a href="${opts.href(p)}" data-page="${p}">${p}</a>`,
  );
  const hidden = [...opts.hidden.entries()].filter(([k]) => k !== 'page').map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
  return html`<nav class="pager" id="${opts.id}" aria-label="${t.label}">
    <span class="total">${t.total(opts.total, pages)}</span>
    ${opts.page > 1 ? html`<a href="${opts.href(opts.page - 1)}" rel="prev">${t.prev}</a>` : ''}
    ${links}
    ${opts.page < pages ? html`<a href="${opts.href(opts.page + 1)}" rel="next">${t.next}</a>` : ''}
    ${pages > 7 ? html`<form method="get" action="${opts.action}" class="inline jump">${hidden}<label>${t.goTo}<input type="number" name="page" min="1" max="${pages}" value="${opts.page}" class="page-input"></label><button type="submit">${t.go}</button></form>` : ''}
  </nav>`;
}

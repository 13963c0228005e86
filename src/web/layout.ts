/** The page frame: header with navigation, the signed-in user, the language switch and sign-out. */
import type { Lang } from '../steward/reason-texts';
import { cityName } from '../steward/display';
import { hasPermission, type Actor } from '../steward/roles';
import { html, type Html } from './html';
import { texts } from './i18n';

export interface PageContext {
  lang: Lang;
  actor?: Actor;
  csrfToken?: string;
  /** the path of this page, for the language switch to come back to */
  path: string;
}

export function layout(pc: PageContext, title: string, body: Html, opts: { active?: string } = {}): Html {
  const t = texts(pc.lang);
  const other: Lang = pc.lang === 'zh' ? 'en' : 'zh';
  const nav = pc.actor
    ? [
        ['queue', '/rejects'],
        ['workbook', '/workbook'],
        ['translations', '/translations'],
        ['reasons', '/reasons'],
        ...(hasPermission(pc.actor, 'audit.read') ? [['audit', '/audit']] : []),
      ].map(([key, href]) => html`<a href="${href}" class="${opts.active === key ? 'active' : ''}" data-nav="${key}">${t.nav[key as keyof typeof t.nav]}</a>`)
    : [];
  return html`<!doctype html>
<html lang="${pc.lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${pc.csrfToken ? html`<meta name="csrf-token" content="${pc.csrfToken}">` : ''}
<title>${title} · ${t.appName}</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body data-lang="${pc.lang}">
<header>
  <div class="brand">${t.appName}</div>
  <nav>${nav}</nav>
  <div class="who">
    <a href="/lang/${other}?next=${encodeURIComponent(pc.path)}" id="lang-switch">${t.switchLang}</a>
    ${pc.actor
      ? html`<span class="user" id="current-user">${t.signedInAs}：${pc.actor.displayName}（${t.roles[pc.actor.role]}${pc.actor.role === 'steward' ? ` ${pc.actor.cities.map(cityName).join('、')}` : ''}）</span>
    <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${pc.csrfToken}"><button type="submit" id="logout">${t.logout}</button></form>`
      : ''}
  </div>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

export function errorPage(pc: PageContext, status: number, message: string): Html {
  const t = texts(pc.lang);
  const title = t.errors.titles[status] ?? String(status);
  return layout(pc, title, html`<p class="error" id="error" data-status="${status}">${message}</p>${status === 403 ? html`<p class="note">${t.errors.forbiddenAudited}</p>` : ''}<p><a href="/rejects">${t.nav.queue}</a></p>`);
}

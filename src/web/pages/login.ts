/** The sign-in page (its form carries a pre-session CSRF token, checked against a cookie). */
import { html } from '../html';
import { texts } from '../i18n';
import { layout, type PageContext } from '../layout';

export function loginPage(pc: PageContext, opts: { loginCsrf: string; next: string; error?: string; username?: string }) {
  const t = texts(pc.lang).login;
  return layout(
    pc,
    t.title,
    html`${opts.error ? html`<p class="notice error" id="login-error">${opts.error}</p>` : ''}
    <form method="post" action="/login" id="login-form" class="stacked narrow">
      <input type="hidden" name="_csrf" value="${opts.loginCsrf}">
      <input type="hidden" name="next" value="${opts.next}">
      <label>${t.username}<input name="username" id="username" autocomplete="username" required value="${opts.username ?? ''}"></label>
      <label>${t.password}<input name="password" id="password" type="password" autocomplete="current-password" required></label>
      <button type="submit" id="login-submit" class="primary">${t.submit}</button>
    </form>`,
  );
}

/**
 * The steward workbench web server (fastify): sessions from an HttpOnly cookie, a CSRF token on
 * every state-changing request, security headers that keep the pages' own scripts the only
 * scripts, no caching of pages that show personal data. Pages and the JSON API share the
 * workbench actions (src/steward/workbench.ts), so both are scoped and audited the same way.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { audit } from '../steward/audit';
import type { Lang } from '../steward/reason-texts';
import { csrfMatches, DEFAULT_SESSION_POLICY, sessionFor, signIn, signOut, type Session, type SessionPolicy } from '../steward/sessions';
import type { Refusal, WorkbenchDeps } from '../steward/workbench';
import type { Logger } from '../log';
import { texts } from './i18n';
import { loginPage } from './pages/login';
import { registerApiRoutes } from './routes-api';
import { isApi, pageContext, sendRefusal } from './respond';
import { registerPageRoutes } from './routes-pages';
import { fromRoot } from '../project-root';

export interface StewardServerOptions {
  workbench: WorkbenchDeps;
  log: Logger;
  sessionPolicy?: SessionPolicy;
  /** mark cookies Secure (serve behind TLS) */
  secureCookies?: boolean;
  /** take the client address from X-Forwarded-For (behind a reverse proxy) */
  trustProxy?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | null;
    lang: Lang;
  }
}

export const SESSION_COOKIE = 'tc_session';
const LOGIN_CSRF_COOKIE = 'tc_login_csrf';
const LANG_COOKIE = 'tc_lang';

const PUBLIC = [/^\/login$/, /^\/assets\//, /^\/lang\/(zh|en)$/, /^\/healthz$/, /^\/favicon\.ico$/];
const pathOf = (req: FastifyRequest) => req.url.split('?')[0]!;

const ASSETS: Record<string, string> = { 'app.css': 'text/css; charset=utf-8', 'app.js': 'text/javascript; charset=utf-8' };

/** A redirect target inside the workbench only (never another site). */
export const safeNext = (next: unknown): string => (typeof next === 'string' && /^\/(?!\/)[\w\-/?=&%.#]*$/.test(next) && !next.startsWith('/login') ? next : '/rejects');

export async function buildStewardServer(opts: StewardServerOptions): Promise<FastifyInstance> {
  const policy = opts.sessionPolicy ?? DEFAULT_SESSION_POLICY;
  const { db } = opts.workbench;
  const app = Fastify({ logger: false, trustProxy: !!opts.trustProxy, bodyLimit: 1_048_576 });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  // the workbook import: one .xlsx, fields on the body (the CSRF token is checked like a form's)
  await app.register(fastifyMultipart, { attachFieldsToBody: 'keyValues', limits: { files: 1, fileSize: 10 * 1_048_576, fields: 5 } });
  app.decorateRequest('session', null);
  app.decorateRequest('lang', 'zh');
  const cookieOptions = { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: !!opts.secureCookies };
  const assets = Object.fromEntries(Object.keys(ASSETS).map((name) => [name, fs.readFileSync(fromRoot('src', 'web', 'assets', name), 'utf8')]));

  app.addHook('onRequest', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const wanted = q.lang ?? req.cookies[LANG_COOKIE];
    req.lang = wanted === 'en' ? 'en' : 'zh';
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    if (PUBLIC.some((p) => p.test(pathOf(req)))) return;
    reply.header('Cache-Control', 'no-store');
    req.session = await sessionFor(db, req.cookies[SESSION_COOKIE], policy);
    if (!req.session) {
      if (isApi(req.url)) return reply.code(401).send({ error: 'sign in first', status: 401 });
      if (req.method === 'GET') return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`);
      return sendRefusal(req, reply, { status: 401, problem: texts(req.lang).login.expired });
    }
  });

  // every state-changing request echoes the session's CSRF token (form field or header)
  app.addHook('preHandler', async (req, reply) => {
    if (req.method === 'GET' || req.method === 'HEAD' || !req.session) return;
    const body = req.body as Record<string, unknown> | undefined;
    const given = req.headers['x-csrf-token'] ?? body?._csrf;
    if (!csrfMatches(req.session.csrfToken, given)) {
      await audit(db, { actor: req.session.actor.id, action: 'csrf.refused', target: pathOf(req), after: { method: req.method } });
      return sendRefusal(req, reply, { status: 403, problem: texts(req.lang).errors.csrf });
    }
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get<{ Params: { name: string } }>('/assets/:name', async (req, reply) => {
    const type = ASSETS[req.params.name];
    if (!type) return reply.code(404).send('not found');
    return reply.type(type).header('Cache-Control', 'max-age=3600').send(assets[req.params.name]);
  });
  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>('/lang/:lang', async (req, reply) => {
    reply.setCookie(LANG_COOKIE, req.params.lang === 'en' ? 'en' : 'zh', { ...cookieOptions, httpOnly: false, maxAge: 365 * 86400 });
    return reply.redirect(safeNext(req.query.next?.replace(/([?&])lang=(zh|en)&?/, '$1')));
  });

  app.get<{ Querystring: { next?: string } }>('/login', async (req, reply) => {
    // the token already set is kept: two login pages open at once must both work
    const current = req.cookies[LOGIN_CSRF_COOKIE];
    const loginCsrf = current && /^[0-9a-f]{48}$/.test(current) ? current : crypto.randomBytes(24).toString('hex');
    reply.setCookie(LOGIN_CSRF_COOKIE, loginCsrf, cookieOptions);
    return reply.type('text/html; charset=utf-8').send(loginPage(pageContext(req), { loginCsrf, next: safeNext(req.query.next) }).value);
  });
  app.post<{ Body: Record<string, string> }>('/login', async (req, reply) => {
    const body = req.body ?? {};
    const expected = req.cookies[LOGIN_CSRF_COOKIE];
    const again = (status: number, error: string) => {
      const loginCsrf = crypto.randomBytes(24).toString('hex');
      reply.setCookie(LOGIN_CSRF_COOKIE, loginCsrf, cookieOptions);
      return reply.code(status).type('text/html; charset=utf-8').send(loginPage(pageContext(req), { loginCsrf, next: safeNext(body.next), error, username: body.username }).value);
    };
    if (!expected || !csrfMatches(expected, body._csrf)) return again(403, texts(req.lang).errors.csrf);
    const result = await signIn(db, { username: String(body.username ?? ''), password: String(body.password ?? ''), ip: req.ip }, policy);
    if (!result.ok) return again(result.why === 'rate_limited' ? 429 : 401, result.why === 'rate_limited' ? texts(req.lang).login.rateLimited : texts(req.lang).login.invalid);
    reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/' });
    reply.setCookie(SESSION_COOKIE, result.token, { ...cookieOptions, maxAge: policy.absoluteHours * 3600 });
    return reply.redirect(safeNext(body.next), 303);
  });
  app.post('/logout', async (req, reply) => {
    await signOut(db, req.cookies[SESSION_COOKIE]);
    if (req.session) await audit(db, { actor: req.session.actor.id, action: 'logout' });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });

  registerPageRoutes(app, opts.workbench);
  registerApiRoutes(app, opts.workbench);

  app.setNotFoundHandler((req, reply) => sendRefusal(req, reply, { status: 404, problem: req.url.split('?')[0]! }));
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) opts.log.error({ err, path: pathOf(req) }, 'steward workbench request failed');
    // an upload over the multipart limit: say so in the steward's words
    const problem = err.code === 'FST_REQ_FILE_TOO_LARGE' ? texts(req.lang).workbook.tooLarge : status === 500 ? 'internal error' : err.message;
    return sendRefusal(req, reply, { status: status as Refusal['status'] | 500, problem });
  });
  return app;
}

/**
 * Login throttling by (user name, address) and masked audit before/after, through the real
 * steward HTTP server (listening, fetch) on a real database: one account's failures lock out
 * that account from that address only, attempts refused while locked out do not extend the
 * lockout, and the audit page, its API and its CSV export show personal data masked.
 */
import type { FastifyInstance } from 'fastify';
import { audit } from '../../src/steward/audit';
import { buildStewardServer } from '../../src/web/server';
import { addTestAccounts, PASSWORD, testWorkbench } from '../browser/steward-fixture';
import { createTestDatabase, testLogger, tmpDir, type TestDatabase } from '../support/services';

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await addTestAccounts(tdb);
  // trustProxy: the test says which address a request comes from, as a reverse proxy would
  app = await buildStewardServer({ workbench: testWorkbench(tdb, null, tmpDir('login-throttle')), log: testLogger(), trustProxy: true });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await tdb?.drop();
});

const cookieOf = (res: Response, name: string) => res.headers.getSetCookie().find((h) => h.startsWith(`${name}=`))?.split(';')[0] ?? '';

/** A login through the form; the HTTP status (303 on success) and the session cookie. */
async function logIn(username: string, password: string, ip: string): Promise<{ status: number; cookie: string }> {
  const page = await fetch(`${base}/login`, { headers: { 'x-forwarded-for': ip } });
  const loginCsrf = /name="_csrf" value="([0-9a-f]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'x-forwarded-for': ip, cookie: cookieOf(page, 'tc_login_csrf'), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: loginCsrf, username, password, next: '/rejects' }).toString(),
  });
  await res.text();
  return { status: res.status, cookie: cookieOf(res, 'tc_session') };
}

const fail = (username: string, ip: string) => logIn(username, 'wrong password!', ip).then((r) => r.status);
const ok = (username: string, ip: string) => logIn(username, PASSWORD, ip).then((r) => r.status);

/** Moves a pair's attempts back in time, as if `minutes` had passed since them. */
const age = (username: string, ip: string, minutes: number, where: { refused?: boolean } = {}) =>
  tdb.db('steward.login_attempt').where({ username, ip, ...where }).update({ at: tdb.db.raw(`at - (? * interval '1 minute')`, [minutes]) });

test('five failures lock out that user from that address only; other accounts and addresses still sign in', async () => {
  for (let i = 0; i < 5; i++) expect(await fail('engineer', '10.2.0.1')).toBe(401);
  expect(await ok('engineer', '10.2.0.1')).toBe(429);
  // another account from the same address (an office behind one NAT) is not locked out
  expect(await ok('cs', '10.2.0.1')).toBe(303);
  expect(await fail('zz', '10.2.0.1')).toBe(401);
  // the same account from another address is not either
  expect(await ok('engineer', '10.2.0.2')).toBe(303);
  const refused = await tdb.db('pipeline.audit_log').where({ action: 'login.rate_limited', actor: 'user:engineer' }).first('after');
  expect(refused.after).toMatchObject({ ip: '10.2.0.1', failuresFromIp: 5 });
});

test('attempts refused while locked out do not extend the lockout', async () => {
  for (let i = 0; i < 5; i++) expect(await fail('zz', '10.3.0.1')).toBe(401);
  // ten minutes later the pair is still locked; an impatient user keeps knocking
  await age('zz', '10.3.0.1', 10);
  for (let i = 0; i < 4; i++) expect(await ok('zz', '10.3.0.1')).toBe(429);
  // the window (15 minutes) has passed since the failures, not since the refusals: open again
  await age('zz', '10.3.0.1', 6, { refused: false });
  expect(await ok('zz', '10.3.0.1')).toBe(303);
  const attempts = await tdb.db('steward.login_attempt').where({ username: 'zz', ip: '10.3.0.1' }).select('ok', 'refused');
  expect(attempts.filter((a) => a.refused)).toHaveLength(4);
  expect(attempts.filter((a) => !a.ok && !a.refused)).toHaveLength(5);
});

test('failures spread over many addresses still lock the account at the per-user limit', async () => {
  await tdb.db('steward.login_attempt').insert(Array.from({ length: 50 }, (_, i) => ({ username: 'admin', ip: `10.4.${i}.1`, ok: false })));
  expect(await ok('admin', '10.4.99.1')).toBe(429);
  await tdb.db('steward.login_attempt').where({ username: 'admin' }).del();
  expect(await ok('admin', '10.4.99.1')).toBe(303);
});

test('audit before/after are masked like the workbench on the page, in the API and in the CSV export', async () => {
  const id = '430102199001011234';
  await audit(tdb.db, {
    actor: 'user:cs',
    action: 'reject.fix',
    target: 'reject:1',
    cityCode: '430100',
    before: { revision: 1, fields: { id_number: id, name: '张三丰', phone: '13812345678' } },
    after: { revision: 2, fields: { id_number: '430102199001011235', name: '张三' }, note: `was ${id}` },
  });
  const admin = await logIn('admin', PASSWORD, '10.5.0.1');
  expect(admin.status).toBe(303);
  const get = (url: string) => fetch(base + url, { headers: { cookie: admin.cookie, 'x-forwarded-for': '10.5.0.1' } }).then((r) => r.text());
  const bodies = { api: await get('/api/audit?action=reject.fix'), page: await get('/audit?action=reject.fix'), csv: await get('/audit/export.csv?action=reject.fix') };
  for (const [where, body] of Object.entries(bodies)) {
    for (const clear of [id, '430102199001011235', '张三丰', '张三', '13812345678']) expect([where, body.includes(clear)]).toEqual([where, false]);
  }
  const api = JSON.parse(bodies.api) as { rows: { before: unknown; after: unknown }[] };
  expect(api.rows[0]!.before).toEqual({ revision: 1, fields: { id_number: '430102********1234', name: '张**', phone: '138****5678' } });
  expect(api.rows[0]!.after).toEqual({ revision: 2, fields: { id_number: '430102********1235', name: '张*' }, note: 'was 430102********1234' });
  expect(bodies.csv).toContain('430102********1234');
  // stored as written: the masking is on the way out
  const stored = await tdb.db('pipeline.audit_log').where({ action: 'reject.fix' }).first('before');
  expect(stored.before.fields.id_number).toBe(id);
});

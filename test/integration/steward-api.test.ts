/**
 * The workbench's access rules through its HTTP interface (a listening server, fetch): every endpoint × every
 * role × a reject of the steward's own city and of another city — with each refusal audited —
 * and the guards around them: sign-in, sessions that expire, CSRF, login rate limiting, masked
 * personal data and audited reveals. Resubmission is a recording stub here (the workflow has its
 * own tests), so no request changes what the matrix looks at.
 */
import type { FastifyInstance } from 'fastify';
import { disableAccount } from '../../src/steward/accounts';
import type { CityResubmission } from '../../src/steward/resubmitter';
import { buildStewardServer } from '../../src/web/server';
import { ACCOUNTS, addTestAccounts, CHANGSHA, migrateCity, PASSWORD, testWorkbench, writeStewardCities, ZHUZHOU, type AccountName } from '../browser/steward-fixture';
import { createTestDatabase, testLogger, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

let tdb: TestDatabase;
let temporal: TestTemporal;
let app: FastifyInstance;
let base: string;
const resubmitted: CityResubmission[] = [];
const rejectOf: Record<string, string> = {};
const sessions = {} as Record<AccountName, Session>;

interface Session {
  cookie: string;
  csrf: string;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  const dir = tmpDir('steward-api');
  const mappings = await writeStewardCities(dir);
  await migrateCity(temporal, mappings[CHANGSHA]!, 'api-cs');
  await migrateCity(temporal, mappings[ZHUZHOU]!, 'api-zz');
  await addTestAccounts(tdb);
  const stub = {
    async resubmit(req: CityResubmission) {
      resubmitted.push(req);
      return { attemptKey: 'stub', staged: req.rejectIds.length, refused: [], loaded: req.rejectIds.length, rejected: 0, skipped: 0, outcomes: [] };
    },
  };
  // trustProxy: the tests say which address a request comes from, as a reverse proxy would
  app = await buildStewardServer({ workbench: testWorkbench(tdb, temporal, dir, stub), log: testLogger(), trustProxy: true });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  for (const city of [CHANGSHA, ZHUZHOU]) {
    rejectOf[city] = String((await tdb.db('pipeline.reject').where({ city_code: city, entity: 'person' }).whereRaw("codes @> '{id_number.checksum}'").orderBy('id').first('id')).id);
  }
  for (const name of Object.keys(ACCOUNTS) as AccountName[]) sessions[name] = await signIn(name);
});

afterAll(async () => {
  await app?.close();
  await temporal?.close();
  await tdb?.drop();
});

interface Res {
  statusCode: number;
  body: string;
  headers: Headers;
  json<T = unknown>(): T;
}

/** One request to the workbench, redirects not followed. */
async function request(method: string, url: string, opts: { headers?: Record<string, string>; payload?: object | string; ip?: string } = {}): Promise<Res> {
  const headers: Record<string, string> = { 'x-forwarded-for': opts.ip ?? '10.0.0.1', ...opts.headers };
  let body: string | undefined;
  if (typeof opts.payload === 'string') body = opts.payload;
  else if (opts.payload) {
    body = JSON.stringify(opts.payload);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + url, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  return { statusCode: res.status, body: text, headers: res.headers, json: <T>() => JSON.parse(text) as T };
}

const cookieOf = (res: Res, name: string) => {
  const c = res.headers.getSetCookie().find((h) => h.startsWith(`${name}=`));
  return c ? c.split(';')[0]! : '';
};

async function signIn(username: string, password = PASSWORD, ip = '10.0.0.1'): Promise<Session> {
  const page = await request('GET', '/login', { ip });
  const loginCsrf = /name="_csrf" value="([0-9a-f]+)"/.exec(page.body)![1]!;
  const res = await request('POST', '/login', {
    ip,
    headers: { cookie: cookieOf(page, 'tc_login_csrf'), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: loginCsrf, username, password, next: '/rejects' }).toString(),
  });
  if (res.statusCode !== 303) return { cookie: '', csrf: String(res.statusCode) };
  const cookie = cookieOf(res, 'tc_session');
  const me = await request('GET', '/api/me', { headers: { cookie } });
  return { cookie, csrf: me.json<{ csrfToken: string }>().csrfToken };
}

function call(s: Session, method: 'GET' | 'POST', url: string, payload?: object) {
  return request(method, url, { headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload });
}

type Expect = 200 | 400 | 403;
interface Endpoint {
  name: string;
  request: (city: string) => [method: 'GET' | 'POST', url: string, payload?: object];
  /** what an account allowed on the city gets (the action itself is refused for bad input, so nothing changes) */
  allowed: Expect;
  permission?: (a: AccountName) => boolean;
  /** false for endpoints that concern no one city */
  cityBound?: boolean;
}

const adminOnly = (a: AccountName) => a === 'admin';

const ENDPOINTS: Endpoint[] = [
  { name: 'list', request: (c) => ['GET', `/api/rejects?city=${c}`], allowed: 200 },
  { name: 'show', request: (c) => ['GET', `/api/rejects/${rejectOf[c]}`], allowed: 200 },
  { name: 'page', request: (c) => ['GET', `/rejects/${rejectOf[c]}`], allowed: 200 },
  { name: 'reveal', request: (c) => ['POST', `/api/rejects/${rejectOf[c]}/reveal`], allowed: 200, permission: (a) => a === 'admin' || ACCOUNTS[a].canReveal },
  { name: 'validate', request: (c) => ['POST', `/api/rejects/${rejectOf[c]}/validate`, { edits: { name: '张三' } }], allowed: 200 },
  { name: 'fix', request: (c) => ['POST', `/api/rejects/${rejectOf[c]}/fix`, { edits: {} }], allowed: 200 },
  { name: 'not-a-record', request: (c) => ['POST', `/api/rejects/${rejectOf[c]}/not-a-record`, { justification: '?' }], allowed: 400 },
  { name: 'resubmit', request: (c) => ['POST', '/api/rejects/resubmit', { ids: [rejectOf[c]] }], allowed: 200 },
  { name: 'unmapped', request: (c) => ['GET', `/api/translations/unmapped?city=${c}`], allowed: 200 },
  { name: 'translate', request: (c) => ['POST', '/api/translations', { city: c, table: 'no_such_table', raw: 'x', value: 'y' }], allowed: 400 },
  { name: 'audit', request: () => ['GET', '/api/audit'], allowed: 200, permission: adminOnly, cityBound: false },
  { name: 'audit export', request: () => ['GET', '/api/audit/export'], allowed: 200, permission: adminOnly, cityBound: false },
  // the pages: the same actions behind forms
  { name: 'queue page', request: (c) => ['GET', `/rejects?city=${c}`], allowed: 200 },
  { name: 'reveal page', request: (c) => ['POST', `/rejects/${rejectOf[c]}/reveal`, {}], allowed: 200, permission: (a) => a === 'admin' || ACCOUNTS[a].canReveal },
  { name: 'fix form', request: (c) => ['POST', `/rejects/${rejectOf[c]}/fix`, { action: 'save' }], allowed: 200 },
  { name: 'not-a-record form', request: (c) => ['POST', `/rejects/${rejectOf[c]}/not-a-record`, { justification: '?' }], allowed: 400 },
  { name: 'resubmit form', request: (c) => ['POST', '/rejects/resubmit', { ids: rejectOf[c] }], allowed: 200 },
  { name: 'translations page', request: () => ['GET', '/translations'], allowed: 200, cityBound: false },
  { name: 'translation form', request: (c) => ['POST', '/translations', { city: c, table: 'no_such_table', raw: 'x', value: 'y' }], allowed: 400 },
  { name: 'reasons page', request: () => ['GET', '/reasons'], allowed: 200, cityBound: false },
  { name: 'audit page', request: () => ['GET', '/audit'], allowed: 200, permission: adminOnly, cityBound: false },
  { name: 'audit csv', request: () => ['GET', '/audit/export.csv'], allowed: 200, permission: adminOnly, cityBound: false },
];

const inScope = (a: AccountName, city: string) => ACCOUNTS[a].role !== 'steward' || (ACCOUNTS[a].cities as readonly string[]).includes(city);
const cases = ENDPOINTS.flatMap((e) => (Object.keys(ACCOUNTS) as AccountName[]).flatMap((a) => [CHANGSHA, ZHUZHOU].map((city) => [e.name, a, city] as const)));

test.each(cases)('%s as %s on city %s', async (endpoint, account, city) => {
  const e = ENDPOINTS.find((x) => x.name === endpoint)!;
  const cityBound = e.cityBound ?? true;
  const expected = (e.permission ? e.permission(account) : true) && (!cityBound || inScope(account, city)) ? e.allowed : 403;
  const deniedBefore = await tdb.db('pipeline.audit_log').where({ action: 'access.denied', actor: `user:${account}` }).count('* as n').first();
  const [method, url, payload] = e.request(city);
  const res = await call(sessions[account], method, url, payload);
  expect({ status: res.statusCode, body: res.statusCode === expected ? '' : res.body.slice(0, 300) }).toEqual({ status: expected, body: '' });
  const deniedAfter = await tdb.db('pipeline.audit_log').where({ action: 'access.denied', actor: `user:${account}` }).count('* as n').first();
  // every refusal is in the audit log, and nothing else is recorded as one
  expect(Number(deniedAfter!.n) - Number(deniedBefore!.n)).toBe(expected === 403 ? 1 : 0);
});

test('a steward asking for another city gets 403, audited with the target; the queue shows only their city', async () => {
  const res = await call(sessions.cs, 'GET', `/rejects/${rejectOf[ZHUZHOU]}`);
  expect(res.statusCode).toBe(403);
  expect(res.body).toContain('审计');
  const entry = await tdb.db('pipeline.audit_log').where({ action: 'access.denied', actor: 'user:cs', target: `reject:${rejectOf[ZHUZHOU]}` }).orderBy('id', 'desc').first();
  expect(entry).toMatchObject({ city_code: ZHUZHOU, after: { permission: 'rejects.read', why: 'city' } });
  const list = (await call(sessions.cs, 'GET', '/api/rejects?status=all')).json<{ rows: { cityCode: string }[] }>();
  expect(new Set(list.rows.map((r) => r.cityCode))).toEqual(new Set([CHANGSHA]));
  expect((await call(sessions.admin, 'GET', '/api/rejects?status=all')).json<{ rows: { cityCode: string }[] }>().rows.some((r) => r.cityCode === ZHUZHOU)).toBe(true);
});

test('personal data is masked by default; revealing it is a permission and is audited', async () => {
  const masked = (await call(sessions.cs, 'GET', `/api/rejects/${rejectOf[CHANGSHA]}`)).json<{ fields: Record<string, string>; reasons: { detail: string }[] }>();
  const raw = (await tdb.db('pipeline.reject').where({ id: rejectOf[CHANGSHA] }).first('fields')).fields as Record<string, string>;
  expect(masked.fields.id_number).toBe(`${raw.id_number!.slice(0, 6)}********${raw.id_number!.slice(-4)}`);
  expect(masked.fields.name).toBe(raw.name!.slice(0, 1) + '*'.repeat([...raw.name!].length - 1));
  expect(JSON.stringify(masked)).not.toContain(raw.id_number);
  expect(masked.reasons[0]!.detail).not.toContain(raw.id_number!.slice(6, 14));

  const revealed = (await call(sessions.cs, 'POST', `/api/rejects/${rejectOf[CHANGSHA]}/reveal`)).json<{ fields: Record<string, string>; revealed: boolean }>();
  expect(revealed).toMatchObject({ revealed: true, fields: { id_number: raw.id_number, name: raw.name } });
  expect(await tdb.db('pipeline.audit_log').where({ action: 'personal.reveal', actor: 'user:cs', target: `reject:${rejectOf[CHANGSHA]}` }).first()).toBeTruthy();
  expect((await call(sessions.engineer, 'POST', `/api/rejects/${rejectOf[CHANGSHA]}/reveal`)).statusCode).toBe(403);
});

test('state changes need the session CSRF token; without a session there is nothing', async () => {
  const url = `/api/rejects/${rejectOf[CHANGSHA]}/fix`;
  const noToken = await request('POST', url, { headers: { cookie: sessions.cs.cookie }, payload: { edits: { name: '李四' } } });
  expect(noToken.statusCode).toBe(403);
  const wrong = await request('POST', url, { headers: { cookie: sessions.cs.cookie, 'x-csrf-token': sessions.admin.csrf }, payload: { edits: { name: '李四' } } });
  expect(wrong.statusCode).toBe(403);
  expect(await tdb.db('pipeline.audit_log').where({ action: 'csrf.refused', actor: 'user:cs' }).count('* as n').first()).toEqual({ n: '2' });
  expect((await tdb.db('pipeline.reject').where({ id: rejectOf[CHANGSHA] }).first('fixed_fields')).fixed_fields).toBeNull();
  // a form post from another page of the workbench carries it as a field
  const form = await request('POST', `/rejects/${rejectOf[CHANGSHA]}/not-a-record`, {
    headers: { cookie: sessions.cs.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'justification=x',
  });
  expect(form.statusCode).toBe(403);

  expect((await request('GET', '/api/rejects')).statusCode).toBe(401);
  const page = await request('GET', '/rejects?city=430100');
  expect(page.statusCode).toBe(302);
  expect(page.headers.get('location')).toBe('/login?next=%2Frejects%3Fcity%3D430100');
  const login = await request('POST', '/login', { payload: { username: 'cs', password: PASSWORD } });
  expect(login.statusCode).toBe(403);
});

test('sessions expire, and end when the account is disabled', async () => {
  const s = await signIn('engineer', PASSWORD, '10.0.0.2');
  expect((await call(s, 'GET', '/api/me')).statusCode).toBe(200);
  await tdb.db('steward.session').update({ expires_at: tdb.db.raw("now() - interval '1 second'") }).whereRaw('account_id = (SELECT id FROM steward.account WHERE username = ?)', ['engineer']);
  expect((await call(s, 'GET', '/api/me')).statusCode).toBe(401);

  const zz = await signIn('zz', PASSWORD, '10.0.0.3');
  expect((await call(zz, 'GET', '/api/me')).statusCode).toBe(200);
  expect((await disableAccount(tdb.db, 'test', 'zz')).ok).toBe(true);
  expect((await call(zz, 'GET', '/api/me')).statusCode).toBe(401);
  expect((await signIn('zz', PASSWORD, '10.0.0.3')).csrf).toBe('401');
  const stored = await tdb.db('steward.account').where({ username: 'cs' }).first('password_hash');
  expect(stored.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
  expect(stored.password_hash).not.toContain(PASSWORD);
});

test('logins are rate limited by user name and address (test/integration/login-throttle.test.ts has the rest)', async () => {
  for (let i = 0; i < 5; i++) expect((await signIn('admin', 'wrong password!', '10.1.0.1')).csrf).toBe('401');
  // the right password no longer helps for a while
  expect((await signIn('admin', PASSWORD, '10.1.0.1')).csrf).toBe('429');
  expect(await tdb.db('pipeline.audit_log').where({ action: 'login.rate_limited', actor: 'user:admin' }).first()).toBeTruthy();
  expect(await tdb.db('pipeline.audit_log').where({ action: 'login.failed', actor: 'user:admin' }).count('* as n').first()).toEqual({ n: '5' });
});

test('resubmission requests reach the desk of the reject city, as the signed-in user', async () => {
  resubmitted.length = 0;
  const res = await call(sessions.admin, 'POST', '/api/rejects/resubmit', { ids: [rejectOf[CHANGSHA], rejectOf[ZHUZHOU], '123456789'] });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ staged: 2, refused: [{ rejectId: '123456789', why: 'not_found' }] });
  expect(resubmitted.map((r) => [r.cityCode, r.rejectIds, r.actor])).toEqual([
    [CHANGSHA, [rejectOf[CHANGSHA]], 'user:admin'],
    [ZHUZHOU, [rejectOf[ZHUZHOU]], 'user:admin'],
  ]);
  // a steward mixing in another city's reject gets nothing sent
  resubmitted.length = 0;
  expect((await call(sessions.cs, 'POST', '/api/rejects/resubmit', { ids: [rejectOf[CHANGSHA], rejectOf[ZHUZHOU]] })).statusCode).toBe(403);
  expect(resubmitted).toEqual([]);
});

test('the audit log is exported by administrators as formula-safe CSV, and the export is audited', async () => {
  await tdb.db('pipeline.audit_log').insert({ actor: '=cmd|calc', action: 'test.injection', target: '+1' });
  const res = await call(sessions.admin, 'GET', '/audit/export.csv?action=test.');
  expect(res.statusCode).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  const lines = res.body.replace(/^\ufeff/, '').trim().split('\r\n');
  expect(lines[0]).toBe('id,at,actor,action,target,city_code,before,after');
  expect(lines[1]).toMatch(/^\d+,[^,]+,'=cmd\|calc,test\.injection,'\+1,,,$/);
  expect(await tdb.db('pipeline.audit_log').where({ action: 'audit.export', actor: 'user:admin' }).first()).toBeTruthy();
});

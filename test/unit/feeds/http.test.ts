import { AgencyHttpClient, readPage } from '../../../src/feeds/http';
import { SIGNATURE_HEADERS, verifySignature } from '../../../src/feeds/sign';
import type { HttpsTransport } from '../../../src/feeds/config';

const transport = (over: Partial<HttpsTransport> = {}): HttpsTransport => ({
  kind: 'https',
  url: 'https://agency.example/api/items',
  auth: { kind: 'none' },
  timeout: 1_000,
  retries: 2,
  retry_delay: 10,
  page_size: 100,
  max_pages: 100,
  pagination: { since_param: 'since', page_param: 'page_token', limit_param: 'limit', items_field: 'items', next_field: 'next_page_token' },
  ...over,
});

function scripted(responses: (() => Response | Promise<Response>)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn = (async (url: URL | string, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    return next();
  }) as typeof fetch;
  return { fetchFn, calls };
}

const json = (status: number, body: unknown) => () => new Response(JSON.stringify(body), { status });
const refused = () => () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
const noSleep = async () => undefined;

it('retries 5xx and connection errors, then returns the answer', async () => {
  const { fetchFn, calls } = scripted([json(500, {}), refused(), json(200, { items: [1] })]);
  const client = new AgencyHttpClient({ transport: transport(), secrets: new Map(), fetchFn, sleep: noSleep });
  expect(await client.request('GET', client.url())).toEqual({ kind: 'ok', status: 200, body: { items: [1] } });
  expect(calls).toHaveLength(3);
});

it('gives up as unreachable after the configured retries', async () => {
  const { fetchFn, calls } = scripted([json(503, {}), json(503, {}), json(503, {})]);
  const client = new AgencyHttpClient({ transport: transport(), secrets: new Map(), fetchFn, sleep: noSleep });
  expect(await client.request('GET', client.url())).toMatchObject({ kind: 'unreachable', status: 503 });
  expect(calls).toHaveLength(3);
});

it('does not retry a refusal (4xx other than 408/429)', async () => {
  const { fetchFn, calls } = scripted([json(422, { error: 'bad' })]);
  const client = new AgencyHttpClient({ transport: transport(), secrets: new Map(), fetchFn, sleep: noSleep });
  expect(await client.request('POST', client.url(), { a: 1 })).toMatchObject({ kind: 'rejected', status: 422 });
  expect(calls).toHaveLength(1);
});

it('sends a bearer token from the secrets, and signs HMAC requests over method, path, time and body', async () => {
  const bearer = scripted([json(200, {})]);
  const c1 = new AgencyHttpClient({ transport: transport({ auth: { kind: 'bearer', token_env: 'TOKEN' } }), secrets: new Map([['TOKEN', 't0k']]), fetchFn: bearer.fetchFn });
  await c1.request('GET', c1.url({ since: 'x' }));
  expect((bearer.calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer t0k');

  const now = new Date('2026-11-29T00:00:00Z');
  const hmac = scripted([json(200, {})]);
  const c2 = new AgencyHttpClient({ transport: transport({ auth: { kind: 'hmac', key_id: 'k1', secret_env: 'SECRET' } }), secrets: new Map([['SECRET', 's']]), fetchFn: hmac.fetchFn, now: () => now });
  await c2.request('POST', c2.url({ since: '2026-01-01' }), { x: 1 }, { 'idempotency-key': 'k' });
  const h = hmac.calls[0]!.init.headers as Record<string, string>;
  expect(h[SIGNATURE_HEADERS.key]).toBe('k1');
  expect(h['idempotency-key']).toBe('k');
  expect(
    verifySignature('s', { method: 'POST', pathWithQuery: '/api/items?since=2026-01-01', timestamp: h[SIGNATURE_HEADERS.timestamp]!, body: '{"x":1}', signature: h[SIGNATURE_HEADERS.signature]! }, now),
  ).toBe(true);
});

it('names a missing secret without a value', async () => {
  const client = new AgencyHttpClient({ transport: transport({ auth: { kind: 'bearer', token_env: 'TOKEN' } }), secrets: new Map(), fetchFn: scripted([]).fetchFn });
  await expect(client.request('GET', client.url())).rejects.toThrow('secret TOKEN is not available');
});

it('reads pages by the configured field names', () => {
  const fields = { items_field: 'data', next_field: 'next' };
  expect(readPage({ data: [1, 2], next: 'p2' }, fields)).toEqual({ items: [1, 2], next: 'p2' });
  expect(readPage({ data: [], next: null }, fields)).toEqual({ items: [], next: null });
  expect(readPage({ data: [], next: 3 }, fields)).toEqual({ items: [], next: '3' });
  expect(readPage({ items: [] }, fields)).toBeNull();
});

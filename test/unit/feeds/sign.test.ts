import { signRequest, verifySignature } from '../../../src/feeds/sign';

const now = new Date('2026-11-29T02:00:00Z');
const ts = String(now.getTime() / 1000);
const req = (over: Partial<{ method: string; pathWithQuery: string; timestamp: string; body: string; signature: string }> = {}) => {
  const base = { method: 'POST', pathWithQuery: '/api/x?since=1', timestamp: ts, body: '{"a":1}' };
  return { ...base, signature: signRequest('s3cret', base.method, base.pathWithQuery, base.timestamp, base.body), ...over };
};

it('a signed request verifies with the same secret', () => {
  expect(verifySignature('s3cret', req(), now)).toBe(true);
});

it('fails with another secret, an altered body, path or time, or a stale timestamp', () => {
  expect(verifySignature('other', req(), now)).toBe(false);
  expect(verifySignature('s3cret', req({ body: '{"a":2}' }), now)).toBe(false);
  expect(verifySignature('s3cret', req({ pathWithQuery: '/api/x?since=2' }), now)).toBe(false);
  expect(verifySignature('s3cret', req({ signature: 'zz' }), now)).toBe(false);
  expect(verifySignature('s3cret', req(), new Date(now.getTime() + 301_000))).toBe(false);
});

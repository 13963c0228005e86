/**
 * HMAC-signed agency requests: the signature covers the time, the method, the path with its query
 * and the body's hash, so a captured request cannot be replayed later or altered. Peers verify
 * with the same function; the secret comes from the environment and is never logged.
 */
import crypto from 'node:crypto';

export const SIGNATURE_HEADERS = { key: 'x-tongchou-key', timestamp: 'x-tongchou-timestamp', signature: 'x-tongchou-signature' } as const;

export function canonicalRequest(method: string, pathWithQuery: string, timestamp: string, body: string): string {
  return [timestamp, method.toUpperCase(), pathWithQuery, crypto.createHash('sha256').update(body).digest('hex')].join('\n');
}

export function signRequest(secret: string, method: string, pathWithQuery: string, timestamp: string, body: string): string {
  return crypto.createHmac('sha256', secret).update(canonicalRequest(method, pathWithQuery, timestamp, body)).digest('hex');
}

/** Constant-time check of a received signature, within `maxSkewSeconds` of `now`. */
export function verifySignature(
  secret: string,
  req: { method: string; pathWithQuery: string; timestamp: string; body: string; signature: string },
  now: Date,
  maxSkewSeconds = 300,
): boolean {
  const ts = Number(req.timestamp);
  if (!Number.isFinite(ts) || Math.abs(now.getTime() / 1000 - ts) > maxSkewSeconds) return false;
  const expected = Buffer.from(signRequest(secret, req.method, req.pathWithQuery, req.timestamp, req.body), 'hex');
  const given = Buffer.from(req.signature, 'hex');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

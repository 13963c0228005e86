/**
 * The HTTPS/JSON transport: one request with a timeout, bearer or HMAC authentication, and
 * retries with backoff on what a retry can fix (timeouts, connection errors, 408/429, 5xx).
 * Outcomes are values: a refused request (other 4xx) is `rejected`, a peer that cannot be reached
 * after the retries is `unreachable`; neither throws. Secrets go into headers only.
 */
import type { HttpsTransport } from './config';
import { SIGNATURE_HEADERS, signRequest } from './sign';

export type HttpOutcome =
  | { kind: 'ok'; status: number; body: unknown }
  | { kind: 'rejected'; status: number; error: string }
  | { kind: 'unreachable'; status?: number; error: string };

export interface HttpClientOptions {
  transport: HttpsTransport;
  secrets: ReadonlyMap<string, string>;
  /** injectable for tests; defaults to the global fetch and real time */
  fetchFn?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE_STATUS = (status: number) => status === 408 || status === 429 || status >= 500;

export class AgencyHttpClient {
  private readonly fetchFn: typeof fetch;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: HttpClientOptions) {
    this.fetchFn = opts.fetchFn ?? fetch;
    this.now = opts.now ?? (() => new Date());
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The feed's URL with query parameters added. */
  url(query: Record<string, string | number | null | undefined> = {}): URL {
    const url = new URL(this.opts.transport.url);
    for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  private headers(method: string, url: URL, body: string, extra: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    if (body) headers['content-type'] = 'application/json';
    const auth = this.opts.transport.auth;
    if (auth.kind === 'bearer') headers.authorization = `Bearer ${this.secret(auth.token_env)}`;
    if (auth.kind === 'hmac') {
      const timestamp = String(Math.floor(this.now().getTime() / 1000));
      headers[SIGNATURE_HEADERS.key] = auth.key_id;
      headers[SIGNATURE_HEADERS.timestamp] = timestamp;
      headers[SIGNATURE_HEADERS.signature] = signRequest(this.secret(auth.secret_env), method, url.pathname + url.search, timestamp, body);
    }
    return headers;
  }

  private secret(name: string): string {
    const value = this.opts.secrets.get(name);
    // the name, never the value, may appear in an error
    if (!value) throw new Error(`secret ${name} is not available to this worker`);
    return value;
  }

  private async once(method: string, url: URL, body: string, extra: Record<string, string>): Promise<HttpOutcome> {
    // outside the try: a missing secret is the worker's configuration, not the peer's failure
    const headers = this.headers(method, url, body, extra);
    try {
      const res = await this.fetchFn(url, {
        method,
        headers,
        body: body || undefined,
        signal: AbortSignal.timeout(this.opts.transport.timeout),
      });
      const text = await res.text();
      if (res.ok) {
        try {
          return { kind: 'ok', status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
        } catch {
          // a 200 with a broken body is the peer misbehaving, not our record being refused
          return { kind: 'unreachable', status: res.status, error: 'response is not JSON' };
        }
      }
      const error = `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
      return RETRYABLE_STATUS(res.status) ? { kind: 'unreachable', status: res.status, error } : { kind: 'rejected', status: res.status, error };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const reason = e.name === 'TimeoutError' || e.name === 'AbortError' ? `timed out after ${this.opts.transport.timeout} ms` : (e.cause?.code ?? e.message);
      return { kind: 'unreachable', error: reason };
    }
  }

  /** One request, retried with backoff while the failure is one a retry can fix. */
  async request(method: 'GET' | 'POST', url: URL, payload?: unknown, headers: Record<string, string> = {}): Promise<HttpOutcome> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    let outcome = await this.once(method, url, body, headers);
    for (let attempt = 1; attempt <= this.opts.transport.retries && outcome.kind === 'unreachable'; attempt++) {
      await this.sleep(this.opts.transport.retry_delay * 2 ** (attempt - 1));
      outcome = await this.once(method, url, body, headers);
    }
    return outcome;
  }
}

/** A page of an inbound pull: the items and the token of the next page (null: the last page). */
export interface PulledPage {
  items: unknown[];
  next: string | null;
}

/** Reads a page out of a response body by the configured field names. */
export function readPage(body: unknown, fields: { items_field: string; next_field: string }): PulledPage | null {
  if (typeof body !== 'object' || body === null) return null;
  const items = (body as Record<string, unknown>)[fields.items_field];
  const next = (body as Record<string, unknown>)[fields.next_field];
  if (!Array.isArray(items)) return null;
  return { items, next: typeof next === 'string' && next !== '' ? next : typeof next === 'number' ? String(next) : null };
}

/**
 * Local stand-ins for the agencies' APIs (node:http on 127.0.0.1, port 0) that misbehave on
 * purpose: 500s, answers slower than the client waits, duplicated and out-of-order pages, a
 * delivery processed but its answer lost (so it arrives, and is acknowledged, twice), records it
 * refuses, and being down for a whole run. Each peer keeps what it served and received, so a test
 * can say every record went across exactly once.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SIGNATURE_HEADERS, verifySignature } from '../../src/feeds/sign';

export type PeerAuth = { kind: 'bearer'; token: string } | { kind: 'hmac'; secret: string } | { kind: 'none' };

/** What the next matching requests do instead of answering normally. */
export type Fault = '500' | 'hang' | 'reset';

export interface PeerRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}

abstract class AgencyPeer {
  private server: http.Server | null = null;
  private port = 0;
  private readonly sockets = new Set<Socket>();
  private readonly faults: Fault[] = [];
  /** requests refused for bad credentials */
  unauthorized = 0;
  requests = 0;

  constructor(
    readonly auth: PeerAuth,
    /** how long a hung request is held before the socket is dropped (longer than the client waits) */
    readonly hangMs = 2_000,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/api/${this.path}`;
  }

  protected abstract readonly path: string;
  protected abstract handle(req: PeerRequest): { status: number; body: unknown; afterwardsHang?: boolean };

  /** The next `n` requests fail this way (in order, after any already queued). */
  fail(fault: Fault, n = 1): this {
    for (let i = 0; i < n; i++) this.faults.push(fault);
    return this;
  }

  async up(): Promise<this> {
    if (this.server) return this;
    const server = http.createServer((req, res) => void this.serve(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // the same port after a restart, so the configured URL still points here
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Down: nothing listens on the port (connection refused), open connections are cut. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private authorized(req: PeerRequest): boolean {
    if (this.auth.kind === 'none') return true;
    if (this.auth.kind === 'bearer') return req.headers.authorization === `Bearer ${this.auth.token}`;
    const h = (name: string) => String(req.headers[name] ?? '');
    return verifySignature(
      this.auth.secret,
      { method: req.method, pathWithQuery: req.url.pathname + req.url.search, timestamp: h(SIGNATURE_HEADERS.timestamp), body: req.body, signature: h(SIGNATURE_HEADERS.signature) },
      new Date(),
    );
  }

  private async serve(raw: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of raw) chunks.push(c as Buffer);
    const req: PeerRequest = { method: raw.method ?? 'GET', url: new URL(raw.url ?? '/', 'http://127.0.0.1'), headers: raw.headers, body: Buffer.concat(chunks).toString('utf8') };
    this.requests++;
    const fault = this.faults.shift();
    if (fault === 'reset') return void raw.socket.destroy();
    if (fault === 'hang') return void setTimeout(() => raw.socket.destroy(), this.hangMs);
    if (fault === '500') return this.send(res, 500, { error: 'internal error' });
    if (!this.authorized(req)) {
      this.unauthorized++;
      return this.send(res, 401, { error: 'unauthorized' });
    }
    const answer = this.handle(req);
    // processed, but the answer never reaches the client: it will send the same delivery again
    if (answer.afterwardsHang) return void setTimeout(() => raw.socket.destroy(), this.hangMs);
    this.send(res, answer.status, answer.body);
  }

  private send(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

/**
 * An agency that publishes records for pulling: `GET ?since=&page_token=&limit=` returns the
 * records whose cursor is at or after `since`, in pages. Misbehaviours: `duplicatePages` serves
 * every page twice (the next link of a page points at itself once), `outOfOrder` serves the
 * result in scrambled order, so later pages hold earlier cursors.
 */
export class PullPeer<R extends Record<string, unknown>> extends AgencyPeer {
  protected readonly path: string;
  readonly records = new Map<string, R>();
  duplicatePages = false;
  outOfOrder = false;
  /** how many times each record id was served */
  readonly served = new Map<string, number>();

  constructor(
    name: string,
    auth: PeerAuth,
    readonly idField: keyof R & string,
    readonly cursorField: keyof R & string,
    hangMs?: number,
  ) {
    super(auth, hangMs);
    this.path = name;
  }

  put(...records: R[]): this {
    for (const r of records) this.records.set(String(r[this.idField]), r);
    return this;
  }

  protected handle(req: PeerRequest) {
    const since = req.url.searchParams.get('since');
    const limit = Number(req.url.searchParams.get('limit') ?? '100');
    const token = req.url.searchParams.get('page_token') ?? '0:fresh';
    const [offsetText, visit] = token.split(':');
    const offset = Number(offsetText);
    let rows = [...this.records.values()].filter((r) => since === null || Date.parse(String(r[this.cursorField])) >= Date.parse(since));
    rows.sort((a, b) => Date.parse(String(a[this.cursorField])) - Date.parse(String(b[this.cursorField])) || String(a[this.idField]).localeCompare(String(b[this.idField])));
    // a fixed scramble: reverse the order of the pages, so the first page has the latest records
    if (this.outOfOrder) {
      const pages: R[][] = [];
      for (let i = 0; i < rows.length; i += limit) pages.push(rows.slice(i, i + limit));
      rows = pages.reverse().flat();
    }
    const page = rows.slice(offset, offset + limit);
    for (const r of page) this.served.set(String(r[this.idField]), (this.served.get(String(r[this.idField])) ?? 0) + 1);
    const end = offset + limit >= rows.length;
    let next: string | null = end ? null : `${offset + limit}:fresh`;
    if (this.duplicatePages && visit === 'fresh') next = `${offset}:again`;
    else if (this.duplicatePages && visit === 'again') next = end ? null : `${offset + limit}:fresh`;
    return { status: 200, body: { items: page, next_page_token: next } };
  }
}

/**
 * An agency that receives deliveries: `POST` with an `Idempotency-Key`. It keeps each key once
 * (a repeat is answered 200 `duplicate: true`, as idempotency keys promise), can lose the answer
 * to a delivery it processed (`loseAnswerTo`), and refuses payloads `refuse` picks with 422.
 */
export class PushPeer extends AgencyPeer {
  protected readonly path: string;
  /** idempotency key → the payload processed, once */
  readonly processed = new Map<string, unknown>();
  /** idempotency key → how many times it arrived */
  readonly arrivals = new Map<string, number>();
  readonly loseAnswerTo = new Set<string>();
  refuse: (payload: Record<string, unknown>) => boolean = () => false;

  constructor(name: string, auth: PeerAuth, hangMs?: number) {
    super(auth, hangMs);
    this.path = name;
  }

  protected handle(req: PeerRequest) {
    const key = String(req.headers['idempotency-key'] ?? '');
    if (!key) return { status: 400, body: { error: 'Idempotency-Key required' } };
    this.arrivals.set(key, (this.arrivals.get(key) ?? 0) + 1);
    const payload = JSON.parse(req.body) as Record<string, unknown>;
    if (this.refuse(payload)) return { status: 422, body: { error: 'unprocessable' } };
    const duplicate = this.processed.has(key);
    if (!duplicate) this.processed.set(key, payload);
    const lose = this.loseAnswerTo.delete(key);
    return { status: 200, body: { ack_id: `ack-${this.processed.size}`, duplicate }, afterwardsHang: lose };
  }
}

export async function closePeers(...peers: AgencyPeer[]): Promise<void> {
  for (const p of peers) await p.down();
}

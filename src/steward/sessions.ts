/**
 * Signing in and sessions (会话). A session is a random token in an HttpOnly cookie; the database
 * keeps only its SHA-256, with a CSRF token and an expiry that slides with use but never past an
 * absolute limit. Login attempts are throttled by (user name, address), from the attempts table,
 * so the limit holds across server processes: one account's failures never lock out another
 * account from the same address (an office behind one NAT), and attempts refused while locked out
 * are recorded as refused, not as failures, so they do not extend the lockout. A higher limit per
 * user name over all addresses bounds guessing spread across many addresses. A user name that
 * does not exist costs as much time as a wrong password.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { actorOf, toAccount } from './accounts';
import { audit } from './audit';
import { hashPassword, verifyPassword } from './passwords';
import type { Actor } from './roles';

export interface SessionPolicy {
  /** a session ends after this long without a request */
  idleMinutes: number;
  /** and after this long in any case */
  absoluteHours: number;
  /** failed logins of one user name from one address within the window before further attempts
   * of that pair are refused */
  maxFailuresPerUserIp: number;
  /** failed logins of one user name from all addresses within the window */
  maxFailuresPerUser: number;
  windowMinutes: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMinutes: 30, absoluteHours: 12, maxFailuresPerUserIp: 5, maxFailuresPerUser: 50, windowMinutes: 15 };

export const tokenHash = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');
const randomToken = (): string => crypto.randomBytes(32).toString('base64url');

export type SignIn = { ok: true; token: string; csrfToken: string; actor: Actor } | { ok: false; why: 'invalid' | 'rate_limited' };

let dummyHash: Promise<string> | undefined;

/** Failures (not refusals) of a user name within the window: from its address and from all. */
async function recentFailures(db: Knex, username: string, ip: string, policy: SessionPolicy): Promise<{ byUserIp: number; byUser: number }> {
  const row = (await db('steward.login_attempt')
    .where({ username, ok: false, refused: false })
    .whereRaw(`at > now() - (? * interval '1 minute')`, [policy.windowMinutes])
    .first(db.raw('count(*) FILTER (WHERE ip = ?) AS by_user_ip', [ip]), db.raw('count(*) AS by_user'))) as { by_user_ip: string; by_user: string };
  return { byUserIp: Number(row.by_user_ip), byUser: Number(row.by_user) };
}

export async function signIn(db: Knex, input: { username: string; password: string; ip: string }, policy: SessionPolicy = DEFAULT_SESSION_POLICY): Promise<SignIn> {
  const username = input.username.trim().toLowerCase().slice(0, 64);
  const { byUserIp, byUser } = await recentFailures(db, username, input.ip, policy);
  if (byUserIp >= policy.maxFailuresPerUserIp || byUser >= policy.maxFailuresPerUser) {
    await db('steward.login_attempt').insert({ username, ip: input.ip, ok: false, refused: true });
    await audit(db, { actor: `user:${username}`, action: 'login.rate_limited', after: { ip: input.ip, failuresFromIp: byUserIp, failuresByUser: byUser } });
    return { ok: false, why: 'rate_limited' };
  }
  const row = (await db('steward.account').whereRaw('lower(username) = ?', [username]).first()) as Record<string, unknown> | undefined;
  const account = row ? toAccount(row) : null;
  // an unknown or disabled user is checked against a throw-away hash: the answer takes as long
  dummyHash ??= hashPassword(randomToken());
  const usable = account !== null && account.disabledAt === null;
  const verified = await verifyPassword(input.password, usable ? (row!.password_hash as string) : await dummyHash);
  const ok = verified && usable;
  await db('steward.login_attempt').insert({ username, ip: input.ip, ok });
  if (!ok || !account) {
    await audit(db, { actor: `user:${username}`, action: 'login.failed', after: { ip: input.ip, disabled: account?.disabledAt ? true : undefined } });
    return { ok: false, why: 'invalid' };
  }
  const token = randomToken();
  const csrfToken = crypto.randomBytes(24).toString('hex');
  await db('steward.session').insert({
    token_hash: tokenHash(token),
    account_id: account.id,
    csrf_token: csrfToken,
    expires_at: db.raw(`now() + (? * interval '1 minute')`, [policy.idleMinutes]),
  });
  await audit(db, { actor: `user:${account.username}`, action: 'login.ok', after: { ip: input.ip } });
  return { ok: true, token, csrfToken, actor: actorOf(account) };
}

export interface Session {
  actor: Actor;
  csrfToken: string;
  expiresAt: Date;
}

/** The live session of a token, its expiry moved on; null when unknown, expired or disabled. */
export async function sessionFor(db: Knex, token: string | undefined, policy: SessionPolicy = DEFAULT_SESSION_POLICY): Promise<Session | null> {
  if (!token || token.length > 100) return null;
  const hash = tokenHash(token);
  const row = (await db('steward.session as s')
    .join('steward.account as a', 'a.id', 's.account_id')
    .where('s.token_hash', hash)
    .where('s.expires_at', '>', db.fn.now())
    .whereNull('a.disabled_at')
    .first('a.*', 's.csrf_token', 's.created_at as session_created_at')) as Record<string, unknown> | undefined;
  if (!row) return null;
  const [updated] = await db('steward.session')
    .where('token_hash', hash)
    .update({
      last_seen_at: db.fn.now(),
      expires_at: db.raw(`least(now() + (? * interval '1 minute'), created_at + (? * interval '1 hour'))`, [policy.idleMinutes, policy.absoluteHours]),
    })
    .returning('expires_at');
  return { actor: actorOf(toAccount(row)), csrfToken: row.csrf_token as string, expiresAt: updated.expires_at as Date };
}

export async function signOut(db: Knex, token: string | undefined): Promise<void> {
  if (token) await db('steward.session').where('token_hash', tokenHash(token)).del();
}

/** Compares CSRF tokens in constant time. */
export function csrfMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

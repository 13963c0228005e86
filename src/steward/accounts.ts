/**
 * Workbench accounts (账户): added, disabled and reset by administrators at the terminal
 * (`tongchou users …`); every change audited. Passwords are stored only as scrypt hashes, and a
 * disable or reset ends the account's sessions at once.
 */
import type { Knex } from 'knex';
import { audit } from './audit';
import { hashPassword, passwordProblem } from './passwords';
import { DIVISION_CODE, ROLES, type Actor, type Role } from './roles';

export interface Account {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  cities: string[];
  canReveal: boolean;
  disabledAt: Date | null;
  createdAt: Date;
  passwordSetAt: Date;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: string };

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export const toAccount = (r: Record<string, unknown>): Account => ({
  id: r.id as number,
  username: r.username as string,
  displayName: r.display_name as string,
  role: r.role as Role,
  cities: (r.cities as string[]) ?? [],
  canReveal: !!r.can_reveal,
  disabledAt: (r.disabled_at as Date | null) ?? null,
  createdAt: r.created_at as Date,
  passwordSetAt: r.password_set_at as Date,
});

export const actorOf = (a: Account): Actor => ({ id: `user:${a.username}`, username: a.username, displayName: a.displayName, role: a.role, cities: a.cities, canReveal: a.canReveal });

/** What is wrong with the role and cities of a new account, or null. */
export function scopeProblem(role: string, cities: readonly string[]): string | null {
  if (!(ROLES as readonly string[]).includes(role)) return `role must be one of ${ROLES.join(', ')}`;
  const bad = cities.filter((c) => !DIVISION_CODE.test(c));
  if (bad.length) return `division codes have 6 digits: ${bad.join(', ')}`;
  if (role === 'steward' && cities.length === 0) return 'a city steward needs at least one division code (--city)';
  if (role !== 'steward' && cities.length > 0) return `the ${role} role works province-wide: give no division codes`;
  return null;
}

export async function findAccount(db: Knex | Knex.Transaction, username: string): Promise<Account | null> {
  const row = (await db('steward.account').whereRaw('lower(username) = lower(?)', [username]).first()) as Record<string, unknown> | undefined;
  return row ? toAccount(row) : null;
}

export async function listAccounts(db: Knex): Promise<Account[]> {
  return ((await db('steward.account').orderBy('username').select('*')) as Record<string, unknown>[]).map(toAccount);
}

export interface NewAccount {
  username: string;
  displayName?: string;
  role: string;
  cities: readonly string[];
  canReveal?: boolean;
  password: string;
}

export async function addAccount(db: Knex, by: string, input: NewAccount): Promise<Outcome<Account>> {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME.test(username)) return { ok: false, problem: 'a user name is 2–64 lower-case letters, digits, dot, dash or underscore' };
  const problem = scopeProblem(input.role, input.cities) ?? passwordProblem(input.password);
  if (problem) return { ok: false, problem };
  const hash = await hashPassword(input.password);
  return db.transaction(async (trx) => {
    if (await findAccount(trx, username)) return { ok: false as const, problem: `user ${username} exists` };
    const [row] = await trx('steward.account')
      .insert({
        username,
        display_name: input.displayName?.trim() || username,
        role: input.role,
        cities: trx.raw('?::varchar(6)[]', [[...new Set(input.cities)].sort()]),
        can_reveal: !!input.canReveal,
        password_hash: hash,
        created_by: by,
      })
      .returning('*');
    const account = toAccount(row);
    await audit(trx, { actor: by, action: 'user.add', target: `user:${username}`, after: { role: account.role, cities: account.cities, canReveal: account.canReveal } });
    return { ok: true as const, value: account };
  });
}

async function changeAccount(db: Knex, by: string, username: string, action: string, change: (trx: Knex.Transaction, a: Account) => Promise<Record<string, unknown>>): Promise<Outcome<Account>> {
  return db.transaction(async (trx) => {
    const account = await findAccount(trx, username);
    if (!account) return { ok: false as const, problem: `no user ${username}` };
    const after = await change(trx, account);
    // whatever changed about an account, its open sessions end
    await trx('steward.session').where({ account_id: account.id }).del();
    await audit(trx, { actor: by, action, target: `user:${account.username}`, before: { disabled: account.disabledAt !== null }, after });
    return { ok: true as const, value: (await findAccount(trx, username))! };
  });
}

export async function disableAccount(db: Knex, by: string, username: string): Promise<Outcome<Account>> {
  return changeAccount(db, by, username, 'user.disable', async (trx, a) => {
    await trx('steward.account').where({ id: a.id }).update({ disabled_at: trx.fn.now() });
    return { disabled: true };
  });
}

/** A new password; a disabled account is enabled again only with `enable`. */
export async function resetPassword(db: Knex, by: string, username: string, password: string, opts: { enable?: boolean } = {}): Promise<Outcome<Account>> {
  const problem = passwordProblem(password);
  if (problem) return { ok: false, problem };
  const hash = await hashPassword(password);
  return changeAccount(db, by, username, 'user.reset', async (trx, a) => {
    await trx('steward.account')
      .where({ id: a.id })
      .update({ password_hash: hash, password_set_at: trx.fn.now(), ...(opts.enable ? { disabled_at: null } : {}) });
    return { passwordChanged: true, disabled: opts.enable ? false : a.disabledAt !== null };
  });
}

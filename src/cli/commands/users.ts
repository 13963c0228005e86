/**
 * `tongchou users add|disable|reset|list`: workbench accounts, from the terminal of someone who
 * holds the database credentials. New and reset passwords are generated and printed once, or
 * read from standard input with --password-stdin.
 */
import os from 'node:os';
import type { Command } from 'commander';
import type { Config } from '../../config';
import { createDb, type Db } from '../../db/knex';
import type { Logger } from '../../log';
import { migrateLatest } from '../../db/migrate';
import { ensurePostgres } from '../../services/postgres';
import { actorOf, addAccount, disableAccount, findAccount, listAccounts, resetPassword, type Account, type Outcome } from '../../steward/accounts';
import { generatePassword } from '../../steward/passwords';
import { terminalActor, type Actor } from '../../steward/roles';
import { renderTable } from '../text-table';
import { printResult, setupFrom } from '../program';

/** Commands that need only the database: no Temporal server is started for them. */
export async function withDatabase<T>(program: Command, fn: (db: Db, env: { config: Config; log: Logger }) => Promise<T>): Promise<T> {
  const { config, log } = setupFrom(program);
  const pg = await ensurePostgres(config, log);
  const db = createDb(pg.url);
  try {
    await migrateLatest(db);
    return await fn(db, { config, log });
  } finally {
    await db.destroy();
    await pg.stop();
  }
}

/** Who is acting at the terminal: an account given with --as (its scope applies), else the operator. */
export async function terminalActorFor(db: Db, as?: string): Promise<Actor> {
  if (!as) return terminalActor(os.userInfo().username);
  const account = await findAccount(db, as);
  if (!account || account.disabledAt) throw new Error(`no active account ${as}`);
  return actorOf(account);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const by = () => `cli:${os.userInfo().username}`;
const collect = (v: string, prev: string[]) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

function done(outcome: Outcome<Account>): Account {
  if (!outcome.ok) throw new Error(outcome.problem);
  return outcome.value;
}

const accountLine = (a: Account) => ({ username: a.username, name: a.displayName, role: a.role, cities: a.cities.join(' '), reveal: a.canReveal ? 'yes' : '', disabled: a.disabledAt ? a.disabledAt.toISOString().slice(0, 10) : '' });

export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('workbench accounts: province administrators, integration engineers, city stewards');

  users
    .command('add <username>')
    .description('add an account; prints a generated password unless --password-stdin')
    .requiredOption('--role <role>', 'admin | engineer | steward')
    .option('--city <codes>', 'division code(s) a steward works on (repeat or comma-separate)', collect, [])
    .option('--name <display name>', 'name shown in the workbench')
    .option('--reveal', 'may show personal data in full (always audited)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--json', 'print JSON')
    .action(async (username: string, o: { role: string; city: string[]; name?: string; reveal?: boolean; passwordStdin?: boolean; json?: boolean }) => {
      const password = o.passwordStdin ? await readStdin() : generatePassword();
      const account = await withDatabase(program, async (db) => done(await addAccount(db, by(), { username, displayName: o.name, role: o.role, cities: o.city, canReveal: o.reveal, password })));
      printResult(o.json, { ...accountLine(account), password: o.passwordStdin ? undefined : password }, () =>
        `added ${account.username} (${account.role}${account.cities.length ? ` ${account.cities.join(', ')}` : ''})${o.passwordStdin ? '' : `\npassword (shown once): ${password}`}`,
      );
    });

  users
    .command('disable <username>')
    .description('disable an account and end its sessions')
    .action(async (username: string) => {
      const account = await withDatabase(program, async (db) => done(await disableAccount(db, by(), username)));
      process.stdout.write(`disabled ${account.username}\n`);
    });

  users
    .command('reset <username>')
    .description('set a new password (generated unless --password-stdin) and end the sessions')
    .option('--password-stdin', 'read the password from standard input')
    .option('--enable', 'enable a disabled account again')
    .action(async (username: string, o: { passwordStdin?: boolean; enable?: boolean }) => {
      const password = o.passwordStdin ? await readStdin() : generatePassword();
      const account = await withDatabase(program, async (db) => done(await resetPassword(db, by(), username, password, { enable: o.enable })));
      process.stdout.write(`reset ${account.username}${o.passwordStdin ? '' : `\npassword (shown once): ${password}`}\n`);
    });

  users
    .command('list')
    .description('list the accounts')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = (await withDatabase(program, (db) => listAccounts(db))).map(accountLine);
      printResult(o.json, list, () => renderTable(['username', 'name', 'role', 'cities', 'reveal', 'disabled'], list.map((a) => Object.values(a))));
    });
}

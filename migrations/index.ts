/**
 * Every migration in this folder (`YYYYMMDDHHMMSS_what_it_does.ts`), loaded by name in order.
 * They are handed to knex through a migration source (src/db/migrate.ts) rather than found by
 * knex on disk, so they run the same from sources, under jest and from a build.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';

const MIGRATION_FILE = /^(\d{14}_[a-z0-9_]+)\.(ts|js)$/;

function discover(): Record<string, Knex.Migration> {
  const found: Record<string, Knex.Migration> = {};
  for (const file of fs.readdirSync(__dirname).sort()) {
    const m = MIGRATION_FILE.exec(file);
    if (!m || found[m[1]!]) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    found[m[1]!] = require(path.join(__dirname, file)) as Knex.Migration;
  }
  return found;
}

export const migrations: Record<string, Knex.Migration> = discover();

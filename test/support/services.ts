/**
 * Per test file: a fresh database on the run's PostgreSQL, migrated. Everything real, nothing
 * shared between files.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config';
import { createDb, type Db } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';
import { createLogger, type Logger } from '../../src/log';

export const adminUrl = (): string => required('TONGCHOU_TEST_ADMIN_DATABASE_URL');
export const temporalAddress = (): string => required('TONGCHOU_TEST_TEMPORAL_ADDRESS');
export const workflowBundle = (): string => required('TONGCHOU_TEST_WORKFLOW_BUNDLE');

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through jest (global setup starts the services)`);
  return v;
}

export function databaseUrlFor(name: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/** A new, migrated database (unless `migrate: false`) for one test file. */
export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `tongchou_test_${crypto.randomBytes(5).toString('hex')}`;
  const admin = createDb(adminUrl(), { max: 1 });
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const url = databaseUrlFor(name);
  const db = createDb(url);
  if (opts.migrate !== false) await migrateLatest(db);
  return {
    name,
    url,
    db,
    async drop() {
      await db.destroy();
      const a = createDb(adminUrl(), { max: 1 });
      await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.destroy();
    },
  };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ dataDir: tmpDir('data') }, {}), ...overrides };
}

export const testLogger = (): Logger => createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(process.env.TONGCHOU_TEST_RUN_DIR ?? os.tmpdir(), `${prefix}-`));
}


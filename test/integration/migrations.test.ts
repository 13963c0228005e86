/**
 * Migrations are code: each one goes up and down, and the schema they build keeps the data it
 * promises to keep (tested Backstage-style: migrate to a step, insert, step, check).
 */
import { migrateDown, migrateLatest, migrateRollbackAll, migrateUp, migrationNames } from '../../src/db/migrate';
import { createTestDatabase, type TestDatabase } from '../support/services';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ migrate: false });
});
afterAll(async () => tdb?.drop());

const tables = async (schema: string): Promise<string[]> =>
  (await tdb.db('information_schema.tables').where({ table_schema: schema }).orderBy('table_name').pluck('table_name')) as string[];

test('every migration goes up and down, one step at a time, and up again', async () => {
  const names = migrationNames();
  expect(names.length).toBeGreaterThanOrEqual(4);
  expect(names).toEqual([...names].sort());
  for (const name of names) expect(name).toMatch(/^\d{14}_[a-z0-9_]+$/);

  for (let i = 0; i < names.length; i++) await migrateUp(tdb.db);
  expect(await tables('landing')).toEqual(expect.arrayContaining(['landing_chunk', 'raw_row', 'source_file', 'stream']));
  expect(await tables('province')).toEqual(expect.arrayContaining(['division', 'employer', 'employer_city_key', 'insurance_spell', 'person']));
  for (let i = names.length - 1; i >= 0; i--) await migrateDown(tdb.db);
  const { rows } = await tdb.db.raw("SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name IN ('landing','pipeline','province')");
  expect(rows[0].n).toBe(0);
  expect(await migrateLatest(tdb.db)).toEqual(names);
  await migrateRollbackAll(tdb.db);
  expect(await migrateLatest(tdb.db)).toEqual(names);
});

test('the landing zone keeps a registered file once per content and the audit log is append-only', async () => {
  await migrateLatest(tdb.db);
  const file = { city_code: '430100', source_key: '430100/persons/a.csv', content_sha256: 'a'.repeat(64), path: '/x/a.csv', byte_size: 10, format: 'csv' };
  await tdb.db('landing.source_file').insert({ ...file, version: 1 });
  await expect(tdb.db('landing.source_file').insert({ ...file, version: 2 })).rejects.toThrow(/source_file_key_content_uq/);
  await tdb.db('pipeline.audit_log').insert({ actor: 'test', action: 'insert' });
  await expect(tdb.db('pipeline.audit_log').update({ actor: 'someone else' })).rejects.toThrow(/append-only/);
  await expect(tdb.db('pipeline.audit_log').del()).rejects.toThrow(/append-only/);
});

/**
 * The nightly city sync over three simulated nights: a drop directory (new files, a corrected
 * file, re-sent files) and a live legacy table in MariaDB (new rows, changed rows, a row touched
 * without a change), checking the provincial persons, their lineage and the watermark after each.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import knexFactory, { type Knex } from 'knex';
import { createFeedActivities } from '../../activities/feeds';
import type { LivePull } from '../../activities/feeds/city-sync';
import { idCheckChar } from '../../src/domain/rules/resident-id';
import { citySync, type CitySyncResult } from '../../workflows/city-sync';
import { renderFeedStatus } from '../../src/cli/commands/feeds';
import { loadFeedConfig } from '../../src/feeds/config';
import { feedStatuses } from '../../src/feeds/status';
import { createTestDatabase, testConfig, testLogger, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

const id = (first17: string) => first17 + idCheckChar(first17);
const P = {
  a: id('43010219800101001'),
  b: id('43010219810202002'),
  c: id('43010219820303003'),
  d: id('43010219830404004'),
  l1: id('43010319700505005'),
  l2: id('43010319710606006'),
  l3: id('43010319720707007'),
};

const MAPPING = `
city: { code: "430100", name: 长沙市 }
sources:
  - id: drop
    files: [persons-*.csv]
    format: csv
    tables:
      - entity: person
        columns:
          name: 姓名
          id_number: 身份证号
        ignore: [序号]
  - id: legacy
    files: [live/*.csv]
    format: csv
    tables:
      - entity: person
        columns:
          name: { column: aac003 }
          id_number: { column: aac002 }
          changed: { column: aae036 }
        ignore: [aac001]
        updated_at: changed
`;

const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', charset: 'utf8mb4' };
const legacyDb = `tongchou_sync_${crypto.randomBytes(4).toString('hex')}`;

let tdb: TestDatabase;
let temporal: TestTemporal;
let admin: Knex;
let legacy: Knex;
let dir: string;
let configPath: string;

const drop = (name: string, rows: [string, string][]) =>
  fs.writeFileSync(path.join(dir, 'drop', name), ['序号,姓名,身份证号', ...rows.map(([n, i], k) => `${k + 1},${n},${i}`)].join('\n') + '\n');

const night = (n: number): Promise<CitySyncResult> =>
  temporal.client.workflow.execute(citySync, {
    workflowId: `sync-test-night-${n}`,
    taskQueue: temporal.taskQueues.main,
    args: [{ configPath, syncId: 'changsha', taskQueues: temporal.taskQueues, nominalTime: `2026-12-0${n}T01:00:00+08:00` }],
  });

const persons = async (): Promise<Record<string, string>> =>
  Object.fromEntries(((await tdb.db('province.person').select('id_number', 'name')) as { id_number: string; name: string }[]).map((p) => [p.id_number, p.name]));

const lineage = async (idNumber: string): Promise<string[]> =>
  (await tdb.db('pipeline.record_lineage').where({ entity: 'person', natural_key: idNumber }).orderBy('at').orderBy('stream_id').pluck('action')) as string[];

const watermark = async () => ((await tdb.db('pipeline.feed_state').where({ feed_id: 'changsha/legacy' }).first('watermark', 'pending')) as { watermark: unknown; pending: unknown } | undefined);

beforeAll(async () => {
  admin = knexFactory({ client: 'mysql2', connection: MARIADB });
  await admin.raw(`CREATE DATABASE \`${legacyDb}\` CHARACTER SET utf8mb4`);
  legacy = knexFactory({ client: 'mysql2', connection: { ...MARIADB, database: legacyDb } });
  await legacy.schema.createTable('ac01', (t) => {
    t.integer('aac001').primary();
    t.string('aac003', 50).notNullable();
    t.string('aac002', 18).notNullable();
    t.specificType('aae036', 'datetime(3)').notNullable();
  });
  process.env.TEST_LEGACY_URL = `mysql://root@127.0.0.1:3306/${legacyDb}`;

  dir = tmpDir('sync');
  fs.mkdirSync(path.join(dir, 'drop'));
  fs.mkdirSync(path.join(dir, 'empty-drop'));
  fs.writeFileSync(path.join(dir, '430100-sync.yaml'), MAPPING);
  configPath = path.join(dir, 'feeds.yaml');
  fs.writeFileSync(
    configPath,
    `
city_syncs:
  - id: changsha
    mapping: 430100-sync.yaml
    drop_dir: drop
    batch_rows: 2
    live:
      - { source: legacy, client: mysql2, url_env: TEST_LEGACY_URL, table: ac01, key_columns: [aac001], cursor_column: aae036, page_size: 2 }
  - id: changsha-empty
    mapping: 430100-sync.yaml
    drop_dir: empty-drop
`,
  );
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
  await legacy?.destroy();
  await admin?.raw(`DROP DATABASE IF EXISTS \`${legacyDb}\``);
  await admin?.destroy();
});

test('night 1: the first files and every legacy row arrive', async () => {
  drop('persons-20261201.csv', [['甲', P.a], ['乙', P.b], ['丙', P.c]]);
  await legacy('ac01').insert([
    { aac001: 1, aac003: '赵一', aac002: P.l1, aae036: '2025-01-01 10:00:00.000' },
    { aac001: 2, aac003: '钱二', aac002: P.l2, aae036: '2025-01-01 10:00:00.000' },
  ]);
  const result = await night(1);
  expect(result.pulled).toEqual({ legacy: 2 });
  expect(result.sources.map((s) => [s.sourceKey.replace(/-[0-9a-f]{16}\.csv$/, ''), s.status, s.streams[0]!.loaded])).toEqual([
    ['430100/drop/persons-20261201.csv', 'loaded', 3],
    ['430100/legacy/live:ac01', 'loaded', 2],
  ]);
  expect(await persons()).toEqual({ [P.a]: '甲', [P.b]: '乙', [P.c]: '丙', [P.l1]: '赵一', [P.l2]: '钱二' });
  expect(await watermark()).toEqual({ watermark: { columns: ['aae036', 'aac001'], values: ['2025-01-01 10:00:00.000', 2] }, pending: null });
});

test('night 2: a corrected file and changed legacy rows update their persons; new ones are added', async () => {
  drop('persons-20261201.csv', [['甲', P.a], ['乙改', P.b], ['丙', P.c]]);
  drop('persons-20261202.csv', [['丁', P.d]]);
  await legacy('ac01').where({ aac001: 2 }).update({ aac003: '钱贰', aae036: '2025-01-02 09:00:00.000' });
  await legacy('ac01').insert({ aac001: 3, aac003: '孙三', aac002: P.l3, aae036: '2025-01-02 09:00:00.000' });

  const result = await night(2);
  // only the rows past the watermark: the changed one and the new one
  expect(result.pulled).toEqual({ legacy: 2 });
  const byKey = Object.fromEntries(result.sources.map((s) => [s.sourceKey.replace(/-[0-9a-f]{16}\.csv$/, ''), s]));
  expect(byKey['430100/drop/persons-20261201.csv']).toMatchObject({ status: 'loaded', version: 2 });
  expect(byKey['430100/drop/persons-20261202.csv']).toMatchObject({ status: 'loaded', version: 1 });
  expect(byKey['430100/legacy/live:ac01']).toMatchObject({ status: 'loaded', version: 2 });
  expect(await persons()).toEqual({ [P.a]: '甲', [P.b]: '乙改', [P.c]: '丙', [P.d]: '丁', [P.l1]: '赵一', [P.l2]: '钱贰', [P.l3]: '孙三' });
  // the changes are in lineage: inserted the first night, updated the second
  expect(await lineage(P.b)).toEqual(['insert', 'update']);
  expect(await lineage(P.l2)).toEqual(['insert', 'update']);
  // unchanged rows of the corrected file merge, they are not written again
  expect(await lineage(P.a)).toEqual(['insert', 'merge']);
  expect(await watermark()).toEqual({ watermark: { columns: ['aae036', 'aac001'], values: ['2025-01-02 09:00:00.000', 3] }, pending: null });
});

test('night 3: re-sent files and a row touched without a change leave the persons as they are', async () => {
  // the same files again, and yesterday's rows re-sent under a new name
  drop('persons-20261203.csv', [['丁', P.d]]);
  await legacy('ac01').where({ aac001: 3 }).update({ aae036: '2025-01-03 08:00:00.000' });
  const before = await tdb.db('province.person').select('id_number', 'updated_at').orderBy('id_number');

  const result = await night(3);
  expect(result.pulled).toEqual({ legacy: 1 });
  expect(result.warnings).toEqual([]);
  const statuses = Object.fromEntries(result.sources.map((s) => [s.sourceKey.replace(/-[0-9a-f]{16}\.csv$/, ''), s.status]));
  expect(statuses).toEqual({
    '430100/drop/persons-20261201.csv': 'unchanged',
    '430100/drop/persons-20261202.csv': 'unchanged',
    '430100/drop/persons-20261203.csv': 'loaded',
    '430100/legacy/live:ac01': 'loaded',
  });
  expect(Object.keys(await persons())).toHaveLength(7);
  expect(await tdb.db('province.person').select('id_number', 'updated_at').orderBy('id_number')).toEqual(before);
  expect(await lineage(P.d)).toEqual(['insert', 'merge']);
  expect(await lineage(P.l3)).toEqual(['insert', 'merge']);
  expect(await watermark()).toEqual({ watermark: { columns: ['aae036', 'aac001'], values: ['2025-01-03 08:00:00.000', 3] }, pending: null });
  // the runs are on record for feeds status
  const runs = await tdb.db('pipeline.feed_run').where({ feed_id: 'changsha' }).orderBy('nominal_time').select('status', 'nominal_time');
  expect(runs.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
});

test('a city sync with an empty drop directory reports it, not a silent success', async () => {
  const result = await temporal.client.workflow.execute(citySync, {
    workflowId: 'sync-test-empty',
    taskQueue: temporal.taskQueues.main,
    args: [{ configPath, syncId: 'changsha-empty', taskQueues: temporal.taskQueues, nominalTime: '2026-12-03T01:00:00+08:00' }],
  });
  expect(result.sources).toEqual([]);
  expect(result.warnings).toEqual([`no new files in ${path.join(dir, 'empty-drop')} (none there)`]);
  const status = (await feedStatuses(tdb.db, loadFeedConfig(configPath, { env: process.env }))).find((s) => s.id === 'changsha-empty')!;
  expect(status.lastRun).toMatchObject({ status: 'succeeded', warnings: [expect.stringMatching(/^no new files in .*empty-drop \(none there\)$/)] });
  expect(renderFeedStatus([status], 200)).toMatch(/changsha-empty, run of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: warning: no new files in /);
});

test('a pull taken but not yet loaded is finished as taken, never pulled again differently', async () => {
  // as if a worker died after the pull: the pending pull is there, the legacy table has moved on
  await legacy('ac01').where({ aac001: 1 }).update({ aac003: '赵壹', aae036: '2025-01-04 08:00:00.000' });
  const acts = createFeedActivities({ db: tdb.db, log: testLogger(), config: testConfig({ dataDir: path.join(dir, 'data') }) });
  const pull: LivePull | null = await new MockActivityEnvironment().run(acts.pullLiveSource, { configPath, syncId: 'changsha', sourceId: 'legacy', cityCode: '430100' });
  expect(pull?.rows).toBe(1);
  await legacy('ac01').insert({ aac001: 4, aac003: '李四', aac002: id('43010319730808008'), aae036: '2025-01-04 09:00:00.000' });

  const result = await night(4);
  // the pending pull (one row) is loaded as it was taken; the new row waits for the next night
  expect(result.pulled).toEqual({ legacy: 1 });
  // no new file came: the night says so, here and in feeds status
  const dropDir = path.join(dir, 'drop');
  expect(result.warnings).toEqual([`no new files in ${dropDir} (3 already loaded)`]);
  const status = (await feedStatuses(tdb.db, loadFeedConfig(configPath, { env: process.env }))).find((s) => s.id === 'changsha')!;
  expect(status.lastRun).toMatchObject({ status: 'succeeded', warnings: [`no new files in ${dropDir} (3 already loaded)`] });
  expect((await persons())[P.l1]).toBe('赵壹');
  expect(await watermark()).toEqual({ watermark: { columns: ['aae036', 'aac001'], values: ['2025-01-04 08:00:00.000', 1] }, pending: null });
  const next = await night(5);
  expect(next.pulled).toEqual({ legacy: 1 });
  expect(Object.keys(await persons())).toHaveLength(8);
});

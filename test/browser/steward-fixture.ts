/**
 * Two small cities for the steward workbench tests, migrated through cityMigration: 长沙 (430100)
 * with a persons roster full of defects and an employer list whose risk classes go through a
 * crosswalk that lacks one value (甲类), and 株洲 (430200) with a roster of its own — so there are
 * rejects of every kind, in two cities. Accounts of every role, and the workbench wired to the
 * test's own Temporal task queues.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { writePersonsCsv } from '../../src/demo/persons-file';
import { idCheckChar } from '../../src/domain/rules/resident-id';
import { uscCheckChar } from '../../src/domain/rules/usc-code';
import { addAccount } from '../../src/steward/accounts';
import type { Resubmitter } from '../../src/steward/resubmitter';
import { workbenchDeps } from '../../src/steward/wiring';
import type { WorkbenchDeps } from '../../src/steward/workbench';
import { cityMigration, type CityReport } from '../../workflows/city-migration';
import type { TestDatabase } from '../support/services';
import { testConfig, testLogger } from '../support/services';
import type { TestTemporal } from '../support/workers';

export const CHANGSHA = '430100';
export const ZHUZHOU = '430200';
export const PASSWORD = 'correct horse battery';

/** Unmapped in the crosswalk until a steward adds it. */
export const UNMAPPED_RISK = '甲类';
const RISKS = ['一类', '二类', '三类', UNMAPPED_RISK];

const personsTable = {
  entity: 'person',
  columns: { name: '姓名', id_number: { header: '身份证号', aliases: ['公民身份号码'] }, gender: { header: '性别', codes: 'gender' } },
  ignore: ['序号', '备注'],
};

function mapping(code: string, name: string, withEmployers: boolean) {
  return {
    city: { code, name },
    sources: [
      { id: 'persons', files: [`data/${code}/persons.csv`], format: 'csv', tables: [personsTable] },
      ...(withEmployers
        ? [
            {
              id: 'employers',
              files: [`data/${code}/employers.csv`],
              format: 'csv',
              tables: [{ entity: 'employer', columns: { name: '单位名称', usc_code: '统一社会信用代码', risk_class: { header: '行业风险类别', codes: 'risk_xwalk' } } }],
            },
          ]
        : []),
    ],
    codes: { gender: { 男: 'M', 女: 'F' }, ...(withEmployers ? { risk_xwalk: { 一类: '1', 二类: '4', 三类: '7' } } : {}) },
  };
}

export const uscOf = (i: number): string => {
  const first17 = `91430100${String(10_000_000 + i).padStart(8, '0')}X`.slice(0, 17);
  return first17 + uscCheckChar(first17);
};

/** Writes both cities' mappings and files under `dir`; returns the mapping paths. */
export async function writeStewardCities(dir: string): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
  for (const [code, name, slug, rows, seed] of [
    [CHANGSHA, '长沙市', 'changsha', 91, 21],
    [ZHUZHOU, '株洲市', 'zhuzhou', 42, 22],
  ] as const) {
    fs.mkdirSync(path.join(dir, 'data', code), { recursive: true });
    await writePersonsCsv(path.join(dir, 'data', code, 'persons.csv'), { rows, seed, regionCodes: [`${code.slice(0, 4)}02`, `${code.slice(0, 4)}03`], cityName: name, defectEvery: 7 });
    paths[code] = path.join(dir, `${code}-${slug}.yaml`);
    fs.writeFileSync(paths[code]!, `# ${name} — steward workbench test city\n${stringify(mapping(code, name, code === CHANGSHA))}`);
  }
  const employers = ['单位名称,统一社会信用代码,行业风险类别', ...Array.from({ length: 12 }, (_, i) => `长沙测试${i + 1}号有限公司,${uscOf(i)},${RISKS[i % RISKS.length]}`)];
  fs.writeFileSync(path.join(dir, 'data', CHANGSHA, 'employers.csv'), employers.join('\r\n') + '\r\n');
  return paths;
}

export async function migrateCity(temporal: TestTemporal, mappingPath: string, id: string): Promise<CityReport> {
  return temporal.client.workflow.execute(cityMigration, { workflowId: id, taskQueue: temporal.taskQueues.main, args: [{ mappingPath, taskQueues: temporal.taskQueues, batchRows: 25 }] });
}

export const ACCOUNTS = {
  admin: { role: 'admin', cities: [] as string[], canReveal: false },
  engineer: { role: 'engineer', cities: [] as string[], canReveal: false },
  cs: { role: 'steward', cities: [CHANGSHA], canReveal: true },
  zz: { role: 'steward', cities: [ZHUZHOU], canReveal: false },
} as const;
export type AccountName = keyof typeof ACCOUNTS;

export async function addTestAccounts(tdb: TestDatabase): Promise<void> {
  for (const [username, a] of Object.entries(ACCOUNTS)) {
    const r = await addAccount(tdb.db, 'test', { username, displayName: `测试${username}`, role: a.role, cities: a.cities, canReveal: a.canReveal, password: PASSWORD });
    if (!r.ok) throw new Error(r.problem);
  }
}

export function testWorkbench(tdb: TestDatabase, temporal: TestTemporal | null, dir: string, resubmitter?: Resubmitter): WorkbenchDeps {
  return workbenchDeps({
    db: tdb.db,
    log: testLogger(),
    config: testConfig(),
    client: temporal?.client,
    taskQueue: temporal?.taskQueues.main,
    workflowIdPrefix: `steward-desk-${temporal?.taskQueues.main ?? 'none'}`,
    mappingsDir: dir,
    resubmitter,
  });
}

/** The resident ID a checksum reject should have had: its first 17 digits and the right check digit. */
export const correctedId = (raw: string): string => raw.slice(0, 17) + idCheckChar(raw.slice(0, 17));

/** The first open reject of a city with a reason, with its raw fields. */
export async function firstReject(tdb: TestDatabase, city: string, code: string): Promise<{ id: string; fields: Record<string, unknown>; revision: number }> {
  const r = await tdb.db('pipeline.reject').where({ city_code: city, status: 'open' }).whereRaw('codes @> ARRAY[?]::text[]', [code]).orderBy('id').first('id', 'fields', 'revision');
  if (!r) throw new Error(`no open ${code} reject in ${city}`);
  return { id: String(r.id), fields: r.fields, revision: r.revision };
}

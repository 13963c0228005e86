/**
 * The demo province: Changsha's roster of persons (CSV) and three cities with every register in
 * three formats — 株洲 a workbook, 湘潭 a GBK mysqldump, 衡阳 GB18030 CSV files with a late
 * supplement of employers — each laid out by its own mapping under mappings/demo/, a few persons
 * insured in two cities. Deterministic for a seed and load date.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadMapping } from '../mapping/load-mapping';
import type { SourceMapping } from '../mapping/schema';
import { generateCityData, type EntityName } from './city-data';
import { SHEET_TITLES, writeCsv, writeMysqlDump, writeWorkbook, type TableRows } from './demo-writers';
import { writePersonsCsv } from './persons-file';
import { seededRandom } from './prng';
import { syntheticPerson } from './synthetic-people';
import { fromRoot } from '../project-root';

export const DEMO_MAPPINGS_DIR = fromRoot('mappings', 'demo');

interface DemoCity {
  mapping: string;
  counties: readonly string[];
  edition: 2011 | 2017;
  lateEmployers: number;
  /** the city insures some of the province's shared persons too */
  shared: boolean;
}

export const DEMO_CITIES: readonly DemoCity[] = [
  { mapping: '430200-zhuzhou.yaml', counties: ['430202', '430203', '430204', '430211', '430221', '430281'], edition: 2011, lateEmployers: 0, shared: true },
  { mapping: '430300-xiangtan.yaml', counties: ['430302', '430304', '430321', '430381', '430382'], edition: 2011, lateEmployers: 0, shared: false },
  { mapping: '430400-hengyang.yaml', counties: ['430405', '430406', '430407', '430408', '430412', '430421', '430481'], edition: 2017, lateEmployers: 2, shared: true },
];

export interface DemoProvinceOptions {
  /** insured persons per city */
  persons: number;
  seed: number;
  /** YYYY-MM-DD: the data lies in the year before it */
  today: string;
}

const ENTITY_OF: Record<string, EntityName> = {
  employer: 'employer',
  person_spell: 'person_spell',
  contribution: 'contribution',
  injury_case: 'injury_case',
  appraisal: 'appraisal',
  benefit_payment: 'benefit_payment',
};

/** Writes one city's files where its mapping (copied into `dir`) expects them. */
function writeCity(dir: string, city: DemoCity, index: number, opts: DemoProvinceOptions, shared: ReturnType<typeof syntheticPerson>[]): string {
  const target = path.join(dir, city.mapping);
  fs.copyFileSync(path.join(DEMO_MAPPINGS_DIR, city.mapping), target);
  const { mapping } = loadMapping(target);
  const data = generateCityData(seededRandom(opts.seed * 31 + index), {
    persons: opts.persons,
    seed: opts.seed,
    counties: city.counties,
    edition: city.edition,
    shared: city.shared ? shared : [],
    every: 23,
    lateEmployers: city.lateEmployers,
    today: opts.today,
  });
  const tablesOf = (source: SourceMapping): TableRows[] =>
    source.tables.map((table) => {
      const entity = ENTITY_OF[table.entity!]!;
      // the supplement carries the late employers, the main file the others
      const late = /late/.test(source.id);
      const rows = entity === 'employer' ? data.rows.employer.filter((r) => !!r.late === late) : data.rows[entity];
      return { table, entity, rows };
    });
  for (const source of mapping.sources) {
    const file = path.join(dir, source.files[0]!);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tables = tablesOf(source);
    if (source.format === 'xlsx') writeWorkbook(file, mapping.city.name, tables, mapping.codes);
    else if (source.format === 'mysqldump') writeMysqlDump(file, 'xtgs', tables, mapping.codes);
    else writeCsv(file, `${mapping.city.name}工伤保险${SHEET_TITLES[tables[0]!.entity]}`, tables[0]!, mapping.codes);
  }
  return target;
}

/** Writes the demo province under `dir`; returns its mapping files in load order. */
export async function writeDemoProvince(dir: string, opts: DemoProvinceOptions): Promise<string[]> {
  fs.mkdirSync(path.join(dir, 'data', '430100'), { recursive: true });
  fs.copyFileSync(path.join(DEMO_MAPPINGS_DIR, '430100-changsha.yaml'), path.join(dir, '430100-changsha.yaml'));
  await writePersonsCsv(path.join(dir, 'data', '430100', 'persons.csv'), {
    rows: opts.persons,
    seed: opts.seed,
    regionCodes: ['430102', '430103', '430104', '430105', '430111', '430121'],
    cityName: '长沙市',
  });
  const rand = seededRandom(opts.seed * 7 + 1);
  const shared = Array.from({ length: 3 }, () => syntheticPerson(rand, ['430102', '430203', '430405']));
  return [path.join(dir, '430100-changsha.yaml'), ...DEMO_CITIES.map((city, i) => writeCity(dir, city, i, opts, shared))];
}

/**
 * A small province on disk for the province tests: a manifest, one mapping per city (the demo
 * mapping with the city's code and name) and each city's persons roster — plus, where asked, the
 * same people in a second city (people move): identical rows merge into one provincial person,
 * rows with a different name conflict with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { personsCsvLines, writePersonsCsv, type PersonsFileOptions } from '../../src/demo/persons-file';

const REPO = path.resolve(__dirname, '..', '..');
const DEMO_MAPPING = path.join(REPO, 'mappings', 'demo', '430100-changsha.yaml');
export const FUND_POLICY = path.join(REPO, 'mappings', 'province', 'fund-policy-unified.yaml');

export interface FixtureCity {
  code: string;
  name: string;
  rows: number;
  seed: number;
  defectEvery?: number;
}

export interface ProvinceFixtureOptions {
  cities: FixtureCity[];
  /** people of the first city also listed by the second: this many, every fifth with another name */
  moved?: number;
  concurrency?: { cities?: number; sources?: number; batches?: number };
  batchRows?: number;
  rejectThreshold?: { count?: number; percent?: number };
}

export interface ProvinceFixture {
  dir: string;
  manifestPath: string;
  cities: FixtureCity[];
  /** the roster of the people who moved from the first city to the second */
  moved?: PersonsFileOptions;
}

export const THREE_CITIES: FixtureCity[] = [
  { code: '430100', name: '长沙市', rows: 300, seed: 11 },
  { code: '430200', name: '株洲市', rows: 200, seed: 12 },
  { code: '430300', name: '湘潭市', rows: 150, seed: 13 },
];

const regionCodes = (city: string) => [`${city.slice(0, 4)}02`, `${city.slice(0, 4)}03`];

function writeLines(file: string, lines: Iterable<string>): void {
  fs.writeFileSync(file, [...lines].map((l) => `${l}\r\n`).join(''));
}

/** The second city's list of the people who moved: the same rows, or every fifth under another
 * name (a conflict with the first city's record). */
export function writeMovedTo(dir: string, cityCode: string, moved: PersonsFileOptions, renamed: boolean): void {
  let n = 0;
  const lines = [...personsCsvLines(moved)].map((line, i) => (renamed && i >= 3 && ++n % 5 === 0 ? line.replace(/^(\d+),([^,]+),/, '$1,$2某,') : line));
  writeLines(path.join(dir, 'data', cityCode, 'persons-moved.csv'), lines);
}

export async function writeProvince(dir: string, opts: ProvinceFixtureOptions): Promise<ProvinceFixture> {
  const demo = parse(fs.readFileSync(DEMO_MAPPING, 'utf8')) as { sources: { id: string; files: string[] }[] };
  const entries = [];
  for (const [i, c] of opts.cities.entries()) {
    const data = path.join(dir, 'data', c.code);
    fs.mkdirSync(data, { recursive: true });
    const mapping = `${c.code}-city.yaml`;
    // the demo's persons binding, once for the roster and once for the people who moved here
    const persons = { ...demo.sources[0]!, files: [`data/${c.code}/persons.csv`] };
    const moved = { ...persons, id: 'moved', files: [`data/${c.code}/persons-moved.csv`] };
    const sources = opts.moved && i < 2 ? [persons, moved] : [persons];
    fs.writeFileSync(path.join(dir, mapping), stringify({ ...demo, city: { code: c.code, name: c.name }, sources }));
    await writePersonsCsv(path.join(data, 'persons.csv'), { rows: c.rows, seed: c.seed, regionCodes: regionCodes(c.code), cityName: c.name, defectEvery: c.defectEvery ?? 9 });
    entries.push({ code: c.code, mapping });
  }
  let moved: PersonsFileOptions | undefined;
  if (opts.moved && opts.cities.length >= 2) {
    const [from, to] = opts.cities;
    moved = { rows: opts.moved, seed: from!.seed + 1000, regionCodes: regionCodes(from!.code), cityName: from!.name, defectEvery: 0 };
    writeMovedTo(dir, from!.code, moved, false);
    writeMovedTo(dir, to!.code, moved, true);
  }
  const manifest = {
    province: { code: '43', name: '湖南省' },
    fund_policy: path.relative(dir, FUND_POLICY),
    batch_rows: opts.batchRows ?? 50,
    concurrency: { cities: 3, sources: 2, batches: 3, ...opts.concurrency },
    ...(opts.rejectThreshold ? { reject_threshold: opts.rejectThreshold } : {}),
    cities: entries,
  };
  const manifestPath = path.join(dir, 'province.yaml');
  fs.writeFileSync(manifestPath, stringify(manifest));
  return { dir, manifestPath, cities: opts.cities, moved };
}

/**
 * The run's load date: --load-date and the manifest's load_date are real dates, recorded on the
 * run and printed in its report; without one a source is checked against its registration day.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ActivityDeps } from '../../../activities/deps';
import { createPrepareProvince } from '../../../activities/province/prepare-province';
import { renderCityReport, renderProvinceReport } from '../../../src/cli/city-report';
import { type ManifestError, parseManifestText } from '../../../src/manifest/load-manifest';
import { isIsoDate, parseLoadDateFlag } from '../../../src/mapping/load-date';
import { runLoadDate } from '../../../src/pipeline-context';
import type { CityReport } from '../../../workflows/city-migration';

const REPO = path.resolve(__dirname, '../../..');

test('a load date is a real date written YYYY-MM-DD', () => {
  expect(isIsoDate('2024-02-29')).toBe(true);
  expect(isIsoDate('2023-02-29')).toBe(false);
  expect(isIsoDate('2024-6-30')).toBe(false);
  expect(parseLoadDateFlag('2024-06-30')).toBe('2024-06-30');
  expect(() => parseLoadDateFlag('20240630')).toThrow('--load-date "20240630": a load date is a real date written YYYY-MM-DD');
});

test("the run's load date wins over the registration day (China time)", () => {
  const registered = new Date('2024-06-30T17:00:00Z'); // 2024-07-01 01:00 in China
  expect(runLoadDate(null, registered)).toBe('2024-07-01');
  expect(runLoadDate('2020-01-31', registered)).toBe('2020-01-31');
});

describe('manifest load_date', () => {
  const dir = fs.mkdtempSync(path.join(process.env.TONGCHOU_TEST_RUN_DIR ?? os.tmpdir(), 'load-date-'));
  const mapping = (code: string, name: string) => {
    fs.writeFileSync(path.join(dir, `${code}.yaml`), fs.readFileSync(path.join(REPO, 'mappings/demo/430100-changsha.yaml'), 'utf8').replaceAll('430100', code).replaceAll('长沙市', name));
    return `${code}.yaml`;
  };
  const doc = (extra: Record<string, unknown>, city: Record<string, unknown> = {}) => ({
    province: { code: '43', name: '湖南省' },
    fund_policy: path.relative(dir, path.join(REPO, 'mappings/province/fund-policy-adjustment.yaml')),
    ...extra,
    cities: [{ code: '430100', mapping: mapping('430100', '长沙市'), ...city }, { code: '430200', mapping: mapping('430200', '株洲市') }],
  });

  it("is the province's for every city, a city's own where it has one", () => {
    const m = parseManifestText(stringify(doc({ load_date: '2024-06-30' }, { load_date: '2024-03-31' })), path.join(dir, 'p.yaml'));
    expect(m.cities.map((c) => c.loadDate)).toEqual(['2024-03-31', '2024-06-30']);
  });

  it("is in the province run's plan for each city", async () => {
    const file = path.join(dir, 'plan.yaml');
    fs.writeFileSync(file, stringify(doc({ load_date: '2024-06-30' }, { load_date: '2024-03-31' })));
    const plan = await createPrepareProvince({} as ActivityDeps)({ manifestPath: file });
    expect(plan.cities.map((c) => [c.cityCode, c.loadDate])).toEqual([['430100', '2024-03-31'], ['430200', '2024-06-30']]);
  });

  it('is refused with its line when it is not a real date', () => {
    try {
      parseManifestText(stringify(doc({ load_date: '2024-02-30' })), path.join(dir, 'p.yaml'));
      throw new Error('loaded');
    } catch (err) {
      expect((err as ManifestError).problems).toEqual([{ line: 5, path: 'load_date', message: 'a load date is a real date written YYYY-MM-DD' }]);
    }
  });
});

test('the report says what the dates were checked against', () => {
  const report: CityReport = { cityCode: '430100', cityName: '长沙市', mappingName: '430100-changsha', mappingVersionId: 7, loadDate: '2024-06-30', sources: [] };
  expect(renderCityReport(report)).toContain('load date 2024-06-30 (given for the run: dates after it are date.range)');
  const source = { sourceFileId: '1', sourceKey: 'k', path: 'p', version: 1, status: 'loaded' as const, streams: [] };
  expect(renderCityReport({ ...report, loadDate: null, sources: [{ ...source, loadDate: '2024-07-02' }, { ...source, loadDate: '2024-07-01' }] })).toContain(
    "load date 2024-07-01, 2024-07-02 (each source file's registration day, China time)",
  );
});

test('the province report lists the load dates given for its cities', () => {
  const city = (code: string, name: string, loadDate: string | null): CityReport => ({ cityCode: code, cityName: name, mappingName: code, mappingVersionId: 1, loadDate, sources: [] });
  const text = renderProvinceReport([city('430100', '长沙市', '2024-06-30'), city('430200', '株洲市', null)]);
  expect(text).toContain("load date given for the run: 长沙市 2024-06-30 (other cities: each file's registration day)");
  expect(renderProvinceReport([city('430200', '株洲市', null)])).not.toContain('load date');
});

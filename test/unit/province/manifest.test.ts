import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadManifest, ManifestError, parseManifestText } from '../../../src/manifest/load-manifest';

const REPO = path.resolve(__dirname, '../../..');
const dir = fs.mkdtempSync(path.join(process.env.TONGCHOU_TEST_RUN_DIR ?? os.tmpdir(), 'manifest-'));
const mapping = (code: string, name: string) => {
  const file = path.join(dir, `${code}.yaml`);
  fs.writeFileSync(file, fs.readFileSync(path.join(REPO, 'mappings/demo/430100-changsha.yaml'), 'utf8').replaceAll('430100', code).replaceAll('长沙市', name));
  return `${code}.yaml`;
};
const policy = path.relative(dir, path.join(REPO, 'mappings/province/fund-policy-adjustment.yaml'));

const write = (doc: unknown, name = 'province.yaml') => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof doc === 'string' ? doc : stringify(doc));
  return file;
};

const valid = () => ({
  province: { code: '43', name: '湖南省' },
  fund_policy: policy,
  reject_threshold: { percent: 5 },
  cities: [
    { code: '430100', mapping: mapping('430100', '长沙市') },
    { code: '430200', mapping: mapping('430200', '株洲市'), reject_threshold: { count: 10 } },
  ],
});

const problems = (file: string) => {
  try {
    loadManifest(file);
  } catch (err) {
    if (err instanceof ManifestError) return err.problems;
    throw err;
  }
  throw new Error('the manifest loaded');
};

test('a valid manifest: cities named by their mappings, paths resolved, defaults and per-city thresholds', () => {
  const m = loadManifest(write(valid()));
  expect(m.cities).toEqual([
    { code: '430100', name: '长沙市', mappingPath: path.join(dir, '430100.yaml'), rejectThreshold: { percent: 5 } },
    { code: '430200', name: '株洲市', mappingPath: path.join(dir, '430200.yaml'), rejectThreshold: { count: 10 } },
  ]);
  expect(m.fundPolicyPath).toBe(path.join(REPO, 'mappings/province/fund-policy-adjustment.yaml'));
  expect(m.manifest.concurrency).toEqual({ cities: 4, sources: 1, batches: 4, activities_per_worker: {} });
  expect(m.manifest.batch_rows).toBe(10_000);
});

test('schema problems are reported with their line and key, all at once', () => {
  const text = [
    'province: { code: "43", name: 湖南省 }',
    `fund_policy: ${policy}`,
    'concurrency: { cities: 0 }',
    'cities:',
    '  - { code: "430100", mapping: a.yaml }',
    '  - { code: "430100", mapping: b.yaml }',
    '  - { code: "440100", mapping: c.yaml, colour: red }',
  ].join('\n');
  const found = (() => {
    try {
      parseManifestText(text, 'p.yaml');
    } catch (err) {
      return (err as ManifestError).problems;
    }
    return [];
  })();
  expect(found).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ line: 3, path: 'concurrency.cities' }),
      expect.objectContaining({ line: 7, path: 'cities.2', message: expect.stringContaining('colour') }),
    ]),
  );
  // the cross-field checks run once the shape is right
  const dup = problems(write({ ...valid(), cities: [valid().cities[0], valid().cities[0], { code: '440100', mapping: mapping('440100', '广州市') }] }, 'dup.yaml'));
  expect(dup.map((p) => p.message)).toEqual(['city 430100 is listed twice', 'city 440100 is not in province 43']);
  expect(dup.map((p) => p.line)).toEqual([expect.any(Number), expect.any(Number)]);
});

test('the files it names must be there and be what they claim', () => {
  const m = valid();
  m.cities[1]!.mapping = 'missing.yaml';
  m.cities.push({ code: '430300', mapping: mapping('430400', '衡阳市') });
  const file = write({ ...m, fund_policy: path.relative(dir, path.join(REPO, 'mappings/province/rate-policy.yaml')) }, 'files.yaml');
  const found = problems(file);
  expect(found).toEqual([
    expect.objectContaining({ path: 'cities.1.mapping', message: expect.stringContaining('no such file') }),
    expect.objectContaining({ path: 'cities.2.mapping', message: '430400.yaml maps city 430400, not 430300' }),
    expect.objectContaining({ path: 'fund_policy', message: expect.stringContaining('is not a valid fund policy') }),
  ]);
  expect(found[1]!.line).toBe(fs.readFileSync(file, 'utf8').split('\n').indexOf('    mapping: 430400.yaml') + 1);
});

test('a threshold needs a count or a percent', () => {
  expect(problems(write({ ...valid(), reject_threshold: {} }, 't.yaml'))).toEqual([expect.objectContaining({ path: 'reject_threshold', message: 'give count, percent or both' })]);
});

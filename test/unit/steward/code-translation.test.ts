import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addTranslationToYaml, fieldsUsingTable, findMappingFile } from '../../../src/steward/code-translation';

const YAML = `# 长沙市 mapping — comments survive
city:
  code: "430100"
  name: 长沙市
sources:
  - id: employers
    files: [employers.csv]
    tables:
      - entity: employer
        columns:
          name: 单位名称
          usc_code: 统一社会信用代码
          risk_class: { header: 行业风险类别, codes: risk_xwalk }
codes:
  risk_xwalk: { 一类: "1", 二类: "4" } # the city's three classes
`;

test('a translation is added to the code table, keeping comments and layout', () => {
  const r = addTranslationToYaml(YAML, '/m/430100-changsha.yaml', { table: 'risk_xwalk', raw: ' 三类 ', value: '7' });
  if (!r.ok) throw new Error(r.problem);
  expect(r.changed).toBe(true);
  expect(r.text).toContain('# 长沙市 mapping — comments survive');
  expect(r.text).toContain('risk_xwalk: { 一类: "1", 二类: "4", 三类: "7" } # the city\'s three classes');
  expect(r.loaded.mapping.codes.risk_xwalk).toEqual({ 一类: '1', 二类: '4', 三类: '7' });
  expect(r.loaded.name).toBe('430100-changsha');
});

test('numeric-looking raw values stay text keys; the same translation again changes nothing', () => {
  const r = addTranslationToYaml(YAML, 'm.yaml', { table: 'risk_xwalk', raw: '3', value: '7' });
  if (!r.ok) throw new Error(r.problem);
  expect(r.text).toContain('"3": "7"');
  const again = addTranslationToYaml(r.text, 'm.yaml', { table: 'risk_xwalk', raw: '3', value: '7' });
  expect(again).toMatchObject({ ok: true, changed: false, text: r.text });
});

test('translations that would not help, or would silently change loaded data, are refused', () => {
  expect(addTranslationToYaml(YAML, 'm.yaml', { table: 'gender', raw: '男', value: 'M' })).toMatchObject({ ok: false, problem: expect.stringContaining('no column') });
  expect(addTranslationToYaml(YAML, 'm.yaml', { table: 'risk_xwalk', raw: '一类', value: '2' })).toMatchObject({ ok: false, problem: expect.stringContaining('already translates') });
  expect(addTranslationToYaml(YAML, 'm.yaml', { table: 'risk_xwalk', raw: '三类', value: '9' })).toMatchObject({ ok: false, problem: expect.stringContaining('1, 2, 3') });
  expect(addTranslationToYaml(YAML, 'm.yaml', { table: 'risk_xwalk', raw: '三类', value: ' ' })).toMatchObject({ ok: false });
  expect(addTranslationToYaml('city: [', 'm.yaml', { table: 'risk_xwalk', raw: 'x', value: '1' })).toMatchObject({ ok: false });
});

test('columns using a table, and mapping files found below a directory', () => {
  const r = addTranslationToYaml(YAML, 'm.yaml', { table: 'risk_xwalk', raw: 'x', value: '1' });
  expect(r.ok && fieldsUsingTable(r.loaded.mapping, 'risk_xwalk')).toEqual([{ entity: 'employer', field: 'risk_class' }]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mappings-'));
  fs.mkdirSync(path.join(dir, 'demo'));
  fs.writeFileSync(path.join(dir, 'demo', '430100-changsha.yml'), YAML);
  expect(findMappingFile(dir, '430100-changsha')).toBe(path.join(dir, 'demo', '430100-changsha.yml'));
  expect(findMappingFile(dir, '430200-zhuzhou')).toBeNull();
});

/**
 * Source files are confined to the mapping's directory tree (plus --allow-path): `files:
 * [/etc/passwd]`, `../../…` and symlinks out of the data folder are refused by `mapping check`
 * with a clear problem, before the file is opened — so nothing of it is echoed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkMapping } from '../../../src/mapping/check';
import { confineSourceFile, SourceOutsideRootError, sourceRoots } from '../../../src/mapping/source-roots';

const SECRET = 'root:x:0:0:TOP-SECRET-MARKER:/root:/bin/bash';

const mappingFor = (files: string) => `city: { code: "430100", name: 长沙市 }
sources:
  - id: persons
    files: ${files}
    format: csv
    tables:
      - entity: person
        columns: { name: 姓名, id_number: 身份证号 }
`;

let base: string;
let cityDir: string;
let outside: string;

beforeAll(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'source-roots-')));
  cityDir = path.join(base, 'mappings', 'city');
  outside = path.join(base, 'elsewhere');
  fs.mkdirSync(path.join(cityDir, 'data'), { recursive: true });
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(path.join(outside, 'secret.csv'), `姓名,身份证号\n${SECRET},1\n`);
  fs.writeFileSync(path.join(cityDir, 'data', 'persons.csv'), '姓名,身份证号\n张三,1\n');
  fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(cityDir, 'data', 'linked.csv'));
  fs.symlinkSync(path.join(cityDir, 'data', 'persons.csv'), path.join(cityDir, 'inside-link.csv'));
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

async function check(files: string, allowPaths?: string[]) {
  const file = path.join(cityDir, `430100-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, mappingFor(files));
  return checkMapping(file, { provinceCode: '43', loadDate: '2024-06-30', ...(allowPaths ? { allowPaths } : {}) });
}

describe('mapping check refuses source files outside the mapping’s directory tree', () => {
  it.each([
    ['an absolute path (/etc/passwd)', '[/etc/passwd]', '/etc/passwd'],
    ['an absolute path to a file of the test', '[SECRET]', 'secret.csv'],
    ['../..', '[../../elsewhere/secret.csv]', 'secret.csv'],
    ['a glob through ..', '["../../elsewhere/*.csv"]', 'secret.csv'],
    ['a symlink in the data folder pointing out', '[data/linked.csv]', 'resolves to'],
  ])('%s: a problem naming the file and --allow-path, nothing of the file shown', async (_, files, named) => {
    const result = await check(files.replace('SECRET', path.join(outside, 'secret.csv')));
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message).toContain('is outside the directories sources may be read from');
    expect(result.problems[0]!.message).toContain(named);
    expect(result.problems[0]!.message).toContain('--allow-path');
    expect(result.streams).toEqual([]);
    const shown = JSON.stringify(result);
    expect(shown).not.toContain('TOP-SECRET-MARKER');
    expect(shown).not.toContain('root:x:0');
  });

  it('reads files inside the tree, links that stay inside, and allowed directories', async () => {
    expect((await check('[data/persons.csv, inside-link.csv]')).problems).toEqual([]);
    const allowed = await check('[../../elsewhere/secret.csv]', [outside]);
    expect(allowed.problems).toEqual([]);
    expect(allowed.streams[0]!.read).toBe(1);
  });
});

describe('confineSourceFile', () => {
  it('judges the real path, and a sibling with a common prefix is not inside', () => {
    const roots = sourceRoots(cityDir);
    expect(confineSourceFile(path.join(cityDir, 'inside-link.csv'), roots)).toBe(path.join(cityDir, 'data', 'persons.csv'));
    fs.mkdirSync(`${cityDir}-evil`, { recursive: true });
    fs.writeFileSync(`${cityDir}-evil/x.csv`, 'a\n');
    expect(() => confineSourceFile(`${cityDir}-evil/x.csv`, roots)).toThrow(SourceOutsideRootError);
    expect(() => confineSourceFile(path.join(cityDir, 'data', 'linked.csv'), roots)).toThrow(/resolves to .*secret\.csv/);
  });
});

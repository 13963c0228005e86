/** The example province manifest the README points to loads with the manifest schema, its city
 * mappings and fund policy resolved (a manifest that drifts from the schema fails here). */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadManifest } from '../../../src/manifest/load-manifest';
import { ManifestSchema } from '../../../src/manifest/schema';

const EXAMPLE = path.resolve(__dirname, '..', '..', '..', 'mappings', 'demo', '43-hunan-province.yaml');

test('the example province manifest is valid: schema, city mappings, fund policy', () => {
  expect(ManifestSchema.safeParse(parse(fs.readFileSync(EXAMPLE, 'utf8'))).success).toBe(true);
  const loaded = loadManifest(EXAMPLE);
  expect(loaded.manifest.province).toEqual({ code: '43', name: '湖南省' });
  expect(loaded.cities.map((c) => [c.code, c.name])).toEqual([
    ['430100', '长沙市'],
    ['430200', '株洲市'],
    ['430300', '湘潭市'],
    ['430400', '衡阳市'],
  ]);
  expect(loaded.cities[2]!.rejectThreshold).toEqual({ count: 500, percent: 25 });
  expect(loaded.cities[0]!.rejectThreshold).toEqual({ percent: 20 });
  expect(fs.existsSync(loaded.fundPolicyPath)).toBe(true);
});

test('the README names the example manifest and every command of the CLI', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  expect(readme).toContain('mappings/demo/43-hunan-province.yaml');
  const src = path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'commands');
  // every top-level command (program.command) and every subcommand registered on a group
  const names = new Set<string>();
  for (const file of fs.readdirSync(src)) {
    const text = fs.readFileSync(path.join(src, file), 'utf8');
    for (const m of text.matchAll(/program\.command\('([a-z-]+)/g)) names.add(m[1]!);
    for (const m of text.matchAll(/\n\s+(?:which\()?program\s*\n\s*\.command\('([a-z-]+)/g)) names.add(m[1]!);
  }
  expect(names.size).toBeGreaterThanOrEqual(10);
  for (const name of names) expect(readme).toMatch(new RegExp(`\\| \`${name}\\b`));
});

/**
 * The CLI runs a compiled build of the tree (scripts/build.cjs, bin/tongchou.cjs): it builds one
 * when the sources changed, and from the build every path to the repository's own files (mappings,
 * web assets, migrations, workflow sources) is the same as from the TypeScript sources.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_MAPPINGS_DIR } from '../../src/demo/province';
import { migrations } from '../../migrations';
import { WORKFLOWS_PATH } from '../../src/workflow-bundle';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build, sourceHash } = require('../../scripts/build.cjs') as { build(): string; sourceHash(): string };
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'tongchou.cjs');

let dir: string;
beforeAll(() => {
  dir = build();
});

test('bin/tongchou.cjs runs the build of the current sources', () => {
  const help = execFileSync(process.execPath, [BIN, '--help'], { encoding: 'utf8', env: { ...process.env, TONGCHOU_FROM_SOURCES: '' } });
  expect(help).toContain('Usage: tongchou');
  expect(help).toContain('status');
  expect(path.basename(fs.realpathSync(path.join(ROOT, 'dist', 'current')))).toBe(`build-${sourceHash()}`);
});

test('from the build, paths to mappings, migrations and workflow sources are those of the sources', () => {
  const probe = `
    const b = ${JSON.stringify(dir)};
    process.stdout.write(JSON.stringify({
      demo: require(b + '/src/demo/province.js').DEMO_MAPPINGS_DIR,
      workflows: require(b + '/src/workflow-bundle.js').WORKFLOWS_PATH,
      migrations: Object.keys(require(b + '/migrations/index.js').migrations),
    }));`;
  const fromBuild = JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })) as { demo: string; workflows: string; migrations: string[] };
  expect(fromBuild.demo).toBe(DEMO_MAPPINGS_DIR);
  expect(fs.readdirSync(fromBuild.demo).length).toBeGreaterThan(0);
  expect(fromBuild.workflows).toBe(WORKFLOWS_PATH);
  expect(fs.existsSync(fromBuild.workflows)).toBe(true);
  expect(fromBuild.migrations).toEqual(Object.keys(migrations));
});

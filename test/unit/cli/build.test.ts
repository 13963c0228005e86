/**
 * scripts/build.cjs: the compiled JavaScript the CLI runs, keyed by a digest of the sources, on a
 * small project of its own (the real tree is built in test/integration/compiled-cli.test.ts).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build, currentBuild, sourceHash } = require('../../../scripts/build.cjs') as {
  build(root?: string): string;
  currentBuild(root?: string): string | undefined;
  sourceHash(root?: string): string;
};

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tongchou-build-'));
  fs.mkdirSync(path.join(root, 'src', 'lib'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src', 'lib', 'twice.ts'), 'export const twice = (n: number): number => n * 2;\n');
  fs.writeFileSync(path.join(root, 'src', 'main.ts'), "import { twice } from './lib/twice';\nprocess.stdout.write(String(twice(21)));\n");
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const run = (dir: string) => execFileSync(process.execPath, [path.join(dir, 'src', 'main.js')], { encoding: 'utf8' });

test('compiles every source file to CommonJS in a build named by the sources, and points dist/current at it', () => {
  expect(currentBuild(root)).toBeUndefined();
  const dir = build(root);
  expect(path.basename(dir)).toBe(`build-${sourceHash(root)}`);
  expect(run(dir)).toBe('42');
  expect(fs.existsSync(path.join(dir, 'src', 'lib', 'twice.js'))).toBe(true);
  expect(fs.realpathSync(path.join(root, 'dist', 'current'))).toBe(fs.realpathSync(dir));
  expect(currentBuild(root)).toBe(dir);
  // building again with the same sources reuses the build
  expect(build(root)).toBe(dir);
});

test('a changed or added source makes the build out of date; the next build is a new folder, the old one stays', () => {
  const first = build(root);
  fs.writeFileSync(path.join(root, 'src', 'lib', 'twice.ts'), 'export const twice = (n: number): number => n * 3;\n');
  expect(currentBuild(root)).toBeUndefined();
  const second = build(root);
  expect(second).not.toBe(first);
  expect(run(second)).toBe('63');
  expect(run(first)).toBe('42'); // a process still running the first build is not changed under it
  expect(fs.realpathSync(path.join(root, 'dist', 'current'))).toBe(fs.realpathSync(second));

  fs.writeFileSync(path.join(root, 'src', 'extra.ts'), 'export const x = 1;\n');
  expect(currentBuild(root)).toBeUndefined();
});

test('a folder without the completion marker is not taken as a build, and the next build replaces it', () => {
  const dir = build(root);
  fs.rmSync(path.join(dir, '.complete'));
  expect(currentBuild(root)).toBeUndefined();
  expect(build(root)).toBe(dir);
  expect(run(dir)).toBe('42');
});

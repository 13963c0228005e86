/**
 * The repository root (where tongchou's package.json is), found from this file's own folder, so
 * paths to mappings, web assets and workflow sources are the same whether the code runs from its
 * TypeScript sources (tsx, jest) or from a compiled build under dist/ (scripts/build.cjs).
 */
import fs from 'node:fs';
import path from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tongchou') return dir;
    if (path.dirname(dir) === dir) throw new Error(`tongchou's package.json not found above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(__dirname);

/** A path inside the repository, e.g. `fromRoot('mappings', 'demo')`. */
export const fromRoot = (...parts: string[]): string => path.join(PROJECT_ROOT, ...parts);

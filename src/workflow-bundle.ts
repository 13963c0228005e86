/**
 * The workflow bundle: built once (webpack, seconds) and reused. Production points
 * TONGCHOU_WORKFLOW_BUNDLE at a bundle made by `npm run build:workflows`; otherwise bundles are
 * cached in the data directory by a hash of the workflow sources and the pure code they import.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { PROJECT_ROOT } from './project-root';

/** the sources, also from a compiled build: webpack bundles workflows/*.ts itself */
const ROOT = PROJECT_ROOT;
export const WORKFLOWS_PATH = path.join(ROOT, 'workflows', 'index.ts');
/** Carries the client's database id from a workflow to its activities and children. */
export const WORKFLOW_INTERCEPTORS_PATH = path.join(ROOT, 'workflows', 'database-identity.ts');

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

export function workflowSourceHash(): string {
  const hash = crypto.createHash('sha256');
  const version = JSON.parse(fs.readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')).version as string;
  hash.update(version);
  for (const file of [...sourceFiles(path.join(ROOT, 'workflows')), ...sourceFiles(path.join(ROOT, 'src', 'domain'))].sort()) {
    hash.update(file.slice(ROOT.length)).update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

export async function buildWorkflowBundle(outFile: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: [WORKFLOW_INTERCEPTORS_PATH], logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const tmp = `${outFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, outFile);
  return outFile;
}

/** Path of a bundle matching the current sources: the configured one, a cached one, or a new one. */
export async function workflowBundlePath(dataDir: string, explicit?: string): Promise<string> {
  if (explicit) return explicit;
  const cached = path.join(dataDir, 'bundles', `workflows-${workflowSourceHash()}.js`);
  if (fs.existsSync(cached)) return cached;
  return buildWorkflowBundle(cached);
}

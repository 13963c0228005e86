/**
 * The compiled JavaScript the CLI runs (issue 15: start-up without transpiling TypeScript at each
 * start). `npm run build` (and `npm run setup`) compiles src/, activities/, workflows/, migrations/
 * and mappings/*.ts file by file with esbuild (tsx's own transpiler; types are checked by
 * `npm run typecheck`, not here) into dist/build-<hash>/, where <hash> is a digest of those sources.
 * dist/current points at the newest build.
 *
 * A build is never changed once it is in place: it is written to a temporary folder and renamed
 * into place, so processes starting at the same moment (tests spawn many) either find a complete
 * build for their sources or make the same one, and a running worker's build is not rewritten
 * under it. Plain CommonJS, so bin/tongchou.cjs can use it before anything is compiled.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['src', 'activities', 'workflows', 'migrations', 'mappings'];
/** builds other than the current one are removed once this old (a long-running worker may still use one) */
const KEEP_OLD_BUILDS_MS = 24 * 3600 * 1000;
const COMPLETE = '.complete';

function sourceFiles(dir) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function allSources(root) {
  return SOURCE_DIRS.flatMap((d) => sourceFiles(path.join(root, d))).sort();
}

/** Digest of the sources (paths and contents) and of this script, which decides how they compile. */
function sourceHash(root = ROOT, files = allSources(root)) {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(__filename));
  for (const file of files) hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

const distOf = (root) => path.join(root, 'dist');
const buildDir = (root, hash) => path.join(distOf(root), `build-${hash}`);

/** The build for the sources as they are now, or undefined when there is none yet. */
function currentBuild(root = ROOT) {
  const dir = buildDir(root, sourceHash(root));
  return fs.existsSync(path.join(dir, COMPLETE)) ? dir : undefined;
}

function pointCurrentAt(dir) {
  const link = path.join(path.dirname(dir), 'current');
  const tmp = path.join(path.dirname(dir), `.current-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  fs.symlinkSync(path.basename(dir), tmp);
  fs.renameSync(tmp, link); // atomic: a reader sees the old build or the new one
}

function pruneOldBuilds(keep) {
  const now = Date.now();
  const dist = path.dirname(keep);
  for (const e of fs.readdirSync(dist, { withFileTypes: true })) {
    const p = path.join(dist, e.name);
    const stale = (e.name.startsWith('build-') && p !== keep) || e.name.startsWith('.tmp-');
    if (!stale) continue;
    try {
      if (now - fs.statSync(p).mtimeMs > KEEP_OLD_BUILDS_MS) fs.rmSync(p, { recursive: true, force: true });
    } catch {
      // another process removed it first
    }
  }
}

/** Compiles the sources into their build folder (if not there yet) and returns it. */
function build(root = ROOT) {
  const files = allSources(root);
  const dir = buildDir(root, sourceHash(root, files));
  if (fs.existsSync(path.join(dir, COMPLETE))) {
    pointCurrentAt(dir);
    return dir;
  }
  fs.mkdirSync(distOf(root), { recursive: true });
  const tmp = path.join(distOf(root), `.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  require('esbuild').buildSync({
    entryPoints: files,
    outdir: tmp,
    outbase: root,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: false,
    logLevel: 'error',
  });
  fs.writeFileSync(path.join(tmp, COMPLETE), `${new Date().toISOString()}\n`);
  try {
    fs.renameSync(tmp, dir);
  } catch (err) {
    if (fs.existsSync(path.join(dir, COMPLETE))) {
      // another process put the same build in place first: use it
      fs.rmSync(tmp, { recursive: true, force: true });
    } else if (fs.existsSync(dir)) {
      // a folder of that name that is no build (its marker is written before the rename): replace it
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(tmp, dir);
    } else {
      throw err;
    }
  }
  pointCurrentAt(dir);
  pruneOldBuilds(dir);
  return dir;
}

module.exports = { build, currentBuild, sourceHash };

if (require.main === module) {
  try {
    process.stdout.write(`${path.relative(ROOT, build())}\n`);
  } catch (err) {
    process.stderr.write(`build failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

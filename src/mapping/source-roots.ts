/**
 * Which files a mapping may read: only those under its allowed roots — the mapping's own
 * directory tree, plus directories the operator allows (`--allow-path`, the manifest's
 * `allow_paths`, a city sync's `drop_dir`). A path is judged after every symlink in it is resolved
 * (realpath), so neither `files: [/etc/passwd]`, `../../…` nor a link planted in the data folder
 * reads anything outside; the refusal comes before the file is opened, so nothing of it is shown.
 */
import fs from 'node:fs';
import path from 'node:path';

export class SourceOutsideRootError extends Error {
  constructor(
    readonly file: string,
    readonly resolved: string,
    readonly roots: readonly string[],
  ) {
    const via = resolved === file ? '' : ` (resolves to ${resolved})`;
    super(`source file ${file}${via} is outside the directories sources may be read from (${roots.join(', ')}); allow its directory with --allow-path <dir> or allow_paths in the manifest`);
    this.name = 'SourceOutsideRootError';
  }
}

/** A directory as its real path (symlinks resolved); one that does not exist stays as resolved. */
function realDir(dir: string): string {
  const resolved = path.resolve(dir);
  try {
    return fs.realpathSync(resolved);
  } catch {
    return resolved;
  }
}

/** The roots of a mapping: its own directory, then the allowed ones, each resolved; no repeats. */
export function sourceRoots(mappingDir: string, allowPaths: readonly string[] = []): string[] {
  return [...new Set([mappingDir, ...allowPaths].map(realDir))];
}

export function isWithin(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** The file's real path when it lies under one of the roots; SourceOutsideRootError otherwise. */
export function confineSourceFile(file: string, roots: readonly string[]): string {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    real = path.resolve(file); // gone since it was listed: opening it will say so
  }
  if (!roots.some((root) => isWithin(root, real))) throw new SourceOutsideRootError(file, real, roots);
  return real;
}

/** Expands a path whose file name may hold `*` and `?` (directories are literal), sorted. */
export function expandFilePattern(dir: string, pattern: string): string[] {
  const full = path.resolve(dir, pattern);
  const base = path.basename(full);
  if (!/[*?]/.test(base)) return fs.existsSync(full) ? [full] : [];
  const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const parent = path.dirname(full);
  if (!fs.existsSync(parent)) return [];
  return fs
    .readdirSync(parent)
    .filter((f) => re.test(f))
    .sort()
    .map((f) => path.join(parent, f));
}

/**
 * The files a source pattern names, each checked against the roots: the listed path (for keys and
 * reports) and the real path (what is opened). One file outside refuses the whole pattern.
 */
export function confinedFiles(dir: string, pattern: string, roots: readonly string[]): { listed: string; real: string }[] {
  return expandFilePattern(dir, pattern).map((listed) => ({ listed, real: confineSourceFile(listed, roots) }));
}

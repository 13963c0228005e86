import fs from 'node:fs';
import path from 'node:path';

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

/**
 * `--allow-path <dir>` (repeatable) on migrate, mapping check and inspect: a directory source files
 * may be read from besides the default root (a mapping's own folder; for inspect, the current
 * directory). Resolved here, against the operator's working directory, so workers elsewhere get
 * absolute paths.
 */
import path from 'node:path';
import type { Command } from 'commander';

const collectPath = (v: string, all: string[] = []): string[] => [...all, path.resolve(v)];

export function addAllowPathOption(cmd: Command): Command {
  return cmd.option('--allow-path <dir>', 'also read source files under this directory (repeatable); by default only under the mapping’s own folder', collectPath);
}

/** Runs a bench script in a process of its own (its peak memory is then its own) and returns the
 * JSON it prints on its last line of output. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export function runChild<T>(script: string, args: readonly (string | number)[]): T {
  const out = execFileSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, script), ...args.map(String)], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
    // its errors and warnings reach the terminal as they happen
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/**
 * A 50 MB line (CSV, pg_dump COPY) fails with the record-length limit named, having held no more
 * than the limit's worth of it: measured as the peak RSS (VmHWM) of a child process that reads it
 * (a memory bound, not a timing). Before, a 50 MB line was held whole and copied per chunk (~400 MB
 * here; 960 MB reported in issue #16 when it went on to landing).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fixtureDir } from './fixture-files';

const dir = fixtureDir();
afterAll(() => dir.remove());

/** The bound issue #16 sets for a 50 MB line. */
const MAX_RSS_MB = 256;
const LINE_BYTES = 50 * 1024 * 1024;

const CHILD = `
import { readFileSync } from 'node:fs';
import { openSource } from ${JSON.stringify(join(__dirname, '../../../src/extract/open-source'))};
async function main(): Promise<void> {
  let rows = 0;
  let error = '';
  try {
    const source = await openSource({ file: process.argv[2]! });
    for await (const _row of source.rows()) rows += 1;
  } catch (err) {
    error = (err as Error).message;
  }
  // VmHWM: this process's own peak RSS. getrusage's maxRSS would not do: on Linux it survives
  // fork + exec, so a child of a big jest worker starts with the worker's peak.
  const hwm = /VmHWM:\\s*(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  process.stdout.write(JSON.stringify({ rows, error, maxRssMb: Number(hwm![1]) / 1024 }));
}
void main();
`;

function readInChild(file: string): { rows: number; error: string; maxRssMb: number } {
  const script = dir.write('read-child.ts', CHILD);
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, file], { encoding: 'utf8', timeout: 120_000 });
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { rows: number; error: string; maxRssMb: number };
}

it.each([
  ['a single-line CSV', 'line.csv', (body: Buffer) => Buffer.concat([Buffer.from('姓名,备注\n'), body, Buffer.from('\n')]), 'row 2'],
  ['a CSV whose only line never ends', 'endless.csv', (body: Buffer) => body, 'row 1'],
  ['a quoted CSV field that never closes', 'quoted.csv', (body: Buffer) => Buffer.concat([Buffer.from('a,"'), body]), 'row 1'],
  ['a pg_dump COPY line', 'copy.sql', (body: Buffer) => Buffer.concat([Buffer.from("SET client_encoding = 'UTF8';\nCOPY public.t (a, b) FROM stdin;\n1\t"), body, Buffer.from('\n\\.\n')]), 'a statement or row'],
])(`%s of 50 MB: the record-length limit, named, within ${MAX_RSS_MB} MB`, (_, name, build, where) => {
  const file = dir.write(name, build(Buffer.alloc(LINE_BYTES, 'x')));
  const result = readInChild(file);
  process.stderr.write(`${name}: peak RSS ${result.maxRssMb.toFixed(0)} MB\n`);
  expect(result.error).toMatch(/exceeds 8,388,608 characters in one record \(limit maxRecordChars\)/);
  expect(result.error).toContain(where);
  expect(result.maxRssMb).toBeLessThanOrEqual(MAX_RSS_MB);
}, 180_000);

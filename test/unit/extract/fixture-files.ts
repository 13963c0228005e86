/** Fixtures are generated per test run in a temporary folder, never checked in. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineRow } from '../../../src/extract/line-row';
import { TupleRow } from '../../../src/extract/tuple-row';
import { type RawRow } from '../../../src/extract/types';

export interface FixtureDir {
  write(name: string, content: string | Buffer): string;
  path(name: string): string;
  remove(): void;
}

export function fixtureDir(prefix = 'tongchou-extract-'): FixtureDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    write(name, content) {
      const file = join(dir, name);
      writeFileSync(file, content);
      return file;
    },
    path: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Rows as plain objects: a LineRow's or TupleRow's cells come from a getter, which deep equality
 * does not see (a TupleRow's text is landing's business; its cells are what is compared). */
export async function collect<T = RawRow>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row instanceof LineRow || row instanceof TupleRow ? (plainRow(row) as T) : row);
  return out;
}

export const plainRow = (row: RawRow): RawRow => ({ stream: row.stream, rowNo: row.rowNo, cells: row.cells, ...(row.line !== undefined ? { line: row.line } : {}) });

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

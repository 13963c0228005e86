/**
 * Bulk writes through COPY (never multi-row INSERT: performance.md measures COPY 5–15× faster).
 * Rows are encoded in COPY's text format; values must already be text.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const NEEDS_COPY_ESCAPE = /[\\\t\n\r]/;

/** Escapes one value for COPY text format: backslash, tab, newline and carriage return. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  // most values need no escaping: a test is cheaper than a replace that changes nothing
  if (!NEEDS_COPY_ESCAPE.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** One column value as a COPY line holds it (null → \N). */
export const copyValue = (v: string | number | null): string => (v === null ? '\\N' : copyText(String(v)));

/** One COPY text-format line from column values (null → \N). */
export const copyLine = (values: readonly (string | number | null)[]): string => values.map(copyValue).join('\t') + '\n';

/**
 * JSON text (jsonText, JSON.stringify) as copyText writes it: JSON holds no raw tab, line feed or
 * carriage return (it escapes them inside strings), so only its backslashes need doubling — a
 * search that is cheaper than the regular expression over a whole payload. (`undefined`, which
 * JSON.stringify gives for nothing to write, is written as copyLine writes it: its text.)
 */
export const copyJson = (json: string | undefined): string => (typeof json !== 'string' ? copyValue(String(json)) : json.includes('\\') ? json.replaceAll('\\', '\\\\') : json);

/** A PostgreSQL text[] literal, every element quoted (reason codes, warnings). */
export const pgTextArray = (items: readonly string[]): string => `{${items.map((i) => `"${i.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** COPYs pre-encoded lines (each ending in \n) into `table (columns)` on `client`. */
export async function copyLines(client: PoolClient, table: string, columns: readonly string[], lines: readonly string[]): Promise<void> {
  const sink = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  // one write per ~1 MB keeps the number of stream callbacks small
  const CHUNK = 2_000;
  async function* chunks() {
    for (let i = 0; i < lines.length; i += CHUNK) yield lines.slice(i, i + CHUNK).join('');
  }
  await pipeline(Readable.from(chunks()), sink);
}

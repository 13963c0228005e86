/**
 * What `migrate` refuses in a mapping and its files, decided in one place. Both sides call these
 * functions: `mapping check` reports each refusal as a problem with its mapping line, and the
 * pipeline's activities fail the workflow with it at once (a non-retryable ApplicationFailure of
 * the refusal's type whose details name the file, sheet/table and field) — so a mapping that
 * check passes is one migrate does not refuse, and bad input never turns into silent retries.
 * (The shape of the mapping itself — keys, entities, fields, code tables — is validateMapping's,
 * which loadMapping runs for both.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { confinedFiles, SourceOutsideRootError } from './source-roots';
import { columnSlots, headerKey, slotLabel, type ColumnBinding } from '../domain/normalize/bind-columns';
import { matchTable } from '../domain/normalize/match-table';
import { cellText } from '../domain/rules/text';
import type { RawRow } from '../extract/types';
import { didYouMean } from './nearest';
import type { SourceMapping, TableMapping } from './schema';

export type RefusalType = 'SourceMissing' | 'SourceOutsideRoot' | 'SourceUnreadable' | 'StreamNotInFile' | 'ColumnNotFound' | 'RejectThresholdExceeded';

/** Where a refusal is, for the operator: the file, its sheet/table, a field, a row. */
export interface RefusalWhere {
  file?: string;
  stream?: string;
  field?: string;
  rowNo?: number;
}

export interface Refusal {
  type: RefusalType;
  message: string;
  /** the mapping node it concerns (for its line); `key` for the key's line */
  at: (string | number)[];
  key?: boolean;
  where: RefusalWhere;
}

/** Every type above: bad input never gets better by retrying. */
export const REFUSAL_TYPES: readonly RefusalType[] = ['SourceMissing', 'SourceOutsideRoot', 'SourceUnreadable', 'StreamNotInFile', 'ColumnNotFound', 'RejectThresholdExceeded'];

/** `file [sheet]`, as messages name a place in the input. */
export const placeOf = (file: string, stream?: string): string => `${path.basename(file)}${stream ? ` [${stream}]` : ''}`;

/** The files of source `i` (listed, and real: what is opened), each confined to the allowed roots
 * (source-roots.ts); the refusals when one lies outside or none matches. */
export function sourceFiles(dir: string, source: SourceMapping, i: number, roots: readonly string[]): { files: { listed: string; real: string }[]; refusals: Refusal[] } {
  const files: { listed: string; real: string }[] = [];
  const refusals: Refusal[] = [];
  for (const [k, pattern] of source.files.entries()) {
    try {
      files.push(...confinedFiles(dir, pattern, roots));
    } catch (err) {
      if (!(err instanceof SourceOutsideRootError)) throw err;
      // refused before it is opened: nothing of the file is read, let alone shown
      refusals.push({ type: 'SourceOutsideRoot', message: `source ${source.id}: ${err.message}`, at: ['sources', i, 'files', k], where: { file: err.file } });
    }
  }
  if (!files.length && !refusals.length) {
    refusals.push({ type: 'SourceMissing', message: `source ${source.id} matches no file (${source.files.join(', ')})`, at: ['sources', i, 'files'], where: { file: source.files.join(', ') } });
  }
  return { files, refusals };
}

/** A source file that cannot be read at all: gone, a directory, no permission. */
export function unreadableFile(file: string, i: number): Refusal | undefined {
  const refuse = (why: string): Refusal => ({ type: 'SourceUnreadable', message: `${file}: cannot read file: ${why}`, at: ['sources', i, 'files'], where: { file } });
  try {
    if (!fs.statSync(file).isFile()) return refuse('not a regular file');
    fs.accessSync(file, fs.constants.R_OK);
    return undefined;
  } catch (err) {
    return refuse((err as Error).message);
  }
}

/** The table of a source that binds a stream (matchTable's) and its index, for mapping lines. */
export function tableFor(tables: readonly TableMapping[], streamName: string): { table: TableMapping; index: number } | undefined {
  const table = matchTable(tables, streamName);
  return table ? { table, index: tables.indexOf(table) } : undefined;
}

/**
 * A file's streams against the source's tables: a table naming a sheet/table the file does not
 * have binds nothing — a misspelt sheet name would lose the whole sheet. (A stream that no table
 * binds is "not mapped": reported, not refused.)
 */
export function streamRefusals(source: SourceMapping, i: number, file: string, names: readonly string[]): Refusal[] {
  return source.tables.flatMap((t, j): Refusal[] =>
    t.stream === '*' || names.includes(t.stream)
      ? []
      : [
          {
            type: 'StreamNotInFile',
            message: `${placeOf(file)}: no sheet/table ${JSON.stringify(t.stream)}${didYouMean(t.stream, names)} (the file has: ${names.map((s) => JSON.stringify(s)).join(', ') || 'none'})`,
            at: ['sources', i, 'tables', j, 'stream'],
            where: { file, stream: t.stream },
          },
        ],
  );
}

/** The cells of the row the header was (or most likely would be) found on, by position. */
function headerCells(binding: ColumnBinding, sample: readonly RawRow[], sqlColumns?: readonly string[]): string[] {
  if (sqlColumns) return [...sqlColumns];
  const texts = (r: RawRow) => r.cells.filter((c) => typeof c === 'string' && c.trim()).length;
  const row = binding.headerRowNo !== null ? sample.find((r) => r.rowNo === binding.headerRowNo) : [...sample].sort((a, b) => texts(b) - texts(a))[0];
  return (row?.cells ?? []).map((c) => (cellText(c) ?? '').trim());
}

/** Columns of the stream that nothing binds and the mapping does not ignore (none for a skip table). */
export function freeColumns(table: TableMapping, binding: ColumnBinding, sample: readonly RawRow[], sqlColumns?: readonly string[]): string[] {
  if (table.skip) return [];
  const bound = new Set(Object.values(binding.positions));
  const ignored = new Set(table.ignore.map(headerKey));
  return headerCells(binding, sample, sqlColumns).filter((t, pos) => t !== '' && !bound.has(pos) && !ignored.has(headerKey(t)));
}

/** Slots (mapped fields, addends of summed fields, the item-code layout's key and value) that
 * found no column in the stream: their data would be read as missing. */
export function bindingRefusals(table: TableMapping, at: { source: number; table: number }, file: string, stream: string, binding: ColumnBinding, free: readonly string[]): Refusal[] {
  const slots = new Map(columnSlots(table).map((sl) => [sl.key, sl]));
  const row = binding.headerRowNo ?? undefined;
  const notes = [row !== undefined && `header row ${row}`, free.length && `unbound columns: ${free.join(', ')}`].filter(Boolean);
  return binding.unbound.map((key) => {
    const slot = slots.get(key)!;
    const wanted = slotLabel(slot.col);
    // where the slot is written: the field's column, an addend of its sum, the pivot's key or value
    const node = slot.field === null ? ['pivot', key.endsWith('key') ? 'key' : 'value'] : ['columns', slot.field];
    const what = slot.field === null ? `the item-code layout's ${key.endsWith('key') ? 'key' : 'value'}` : slot.key === slot.field ? slot.field : `${slot.field} (an addend of its sum)`;
    return {
      type: 'ColumnNotFound' as const,
      message: `${placeOf(file, stream)}: no column ${JSON.stringify(wanted)} for ${what}${didYouMean(wanted, free)}${notes.length ? ` (${notes.join('; ')})` : ''}`,
      at: ['sources', at.source, 'tables', at.table, ...node],
      key: slot.field !== null,
      where: { file, stream, field: slot.field ?? key, rowNo: row },
    };
  });
}

export interface RejectThreshold {
  count?: number;
  percent?: number;
}

/** True when `rejected` of `read` rows is over the threshold (count, or percent of the rows read). */
export function exceedsThreshold({ read, rejected }: { read: number; rejected: number }, t: RejectThreshold): boolean {
  return (t.count !== undefined && rejected > t.count) || (t.percent !== undefined && read > 0 && rejected * 100 > t.percent * read);
}

/** A sheet/table whose normalization rejected more rows than the threshold: none of its source loads. */
export function thresholdRefusal(counts: { read: number; rejected: number }, threshold: RejectThreshold, i: number, place: string, where: RefusalWhere): Refusal | undefined {
  if (!exceedsThreshold(counts, threshold)) return undefined;
  return {
    type: 'RejectThresholdExceeded',
    message: `${place}: ${counts.rejected} of ${counts.read} rows rejected, over the threshold ${JSON.stringify(threshold)}; nothing of it was loaded`,
    at: ['sources', i],
    where,
  };
}

/** Refusals as an activity's failure: non-retryable, of the first one's type, its details naming
 * where each one is (the CLI prints them). */
export function refusalFailure(refusals: readonly Refusal[], prefix?: string): ApplicationFailure {
  const message = refusals.map((r) => r.message).join('; ');
  return ApplicationFailure.nonRetryable(prefix ? `${prefix}: ${message}` : message, refusals[0]!.type, ...refusals.map((r) => r.where));
}

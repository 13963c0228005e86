/**
 * A row read from a plain SQL tuple — `(1,'王伟',NULL,-12.50)` with strings free of escapes and
 * doubled quotes, plain numbers and NULL (mysqldump.ts plainTuple) — kept as its decoded text.
 * Its cells are read from the text the first time someone asks; landing stores the text as it is
 * (raw_row.delimiter = SQL_TUPLE) and never asks. The cells are exactly what the general parser
 * gives for the same tuple (sqlNumber for numbers), which test/unit/extract/mysqldump.test.ts checks.
 */
import { sqlNumber } from './sql-number';
import type { RawCell, RawRow } from './types';

/** landing.raw_row.delimiter of a row stored as a plain SQL tuple's text */
export const SQL_TUPLE = '(sql)';

/** The cells of a plain tuple's text: strings between quotes, numbers and NULL between commas. */
export function cellsOfPlainTuple(tuple: string): RawCell[] {
  // no string holds a quote, so splitting on quotes alternates: between-strings, string, …
  const parts = tuple.slice(1, -1).split("'");
  const cells: RawCell[] = [];
  const last = parts.length - 1;
  for (let k = 0; k <= last; k++) {
    if (k % 2 === 1) {
      cells.push(parts[k]!);
      continue;
    }
    const tokens = parts[k]!.split(',');
    // a stretch after a string starts with its comma, one before a string ends with one
    const to = k === last ? tokens.length : tokens.length - 1;
    for (let j = k === 0 ? 0 : 1; j < to; j++) cells.push(tokens[j] === 'NULL' ? null : sqlNumber(tokens[j]!));
  }
  return cells;
}

export class TupleRow implements RawRow {
  #cells: RawCell[] | undefined;

  constructor(
    readonly stream: string,
    readonly rowNo: number,
    readonly tuple: string,
  ) {}

  get cells(): RawCell[] {
    return (this.#cells ??= cellsOfPlainTuple(this.tuple));
  }
}

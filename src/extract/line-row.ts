/**
 * A row read from one plain line (RawRow.line): its cells are the line split on the delimiter,
 * computed the first time someone asks. Landing stores the line as written and never asks — for
 * a plain CSV the split was a third of the landing's CPU time. Limits and the blank-row rule are
 * checked on the line itself.
 */
import type { RawRow } from './types';

/** White space as the rules count it (U+3000 included), plus the delimiter, per delimiter. */
const blankLines = new Map<string, RegExp>();

function blankLine(delimiter: string): RegExp {
  let re = blankLines.get(delimiter);
  if (!re) {
    const escaped = delimiter.replace(/[\\\]^-]/g, '\\$&');
    re = new RegExp(`^[\\s\\u3000${escaped}]*$`);
    blankLines.set(delimiter, re);
  }
  return re;
}

export class LineRow implements RawRow {
  // private (#) fields are not own enumerable properties: the row still looks like
  // { stream, rowNo, line } to anything that walks it, with `cells` from the prototype
  readonly #delimiter: string;
  #cells: string[] | undefined;

  constructor(
    readonly stream: string,
    readonly rowNo: number,
    readonly line: string,
    delimiter: string,
  ) {
    this.#delimiter = delimiter;
  }

  /** what the line splits on */
  get delimiter(): string {
    return this.#delimiter;
  }

  get cells(): string[] {
    return (this.#cells ??= this.line.split(this.#delimiter));
  }

  /** How many cells, without splitting. */
  cellCount(): number {
    let n = 1;
    for (let at = this.line.indexOf(this.#delimiter); at >= 0; at = this.line.indexOf(this.#delimiter, at + this.#delimiter.length)) n++;
    return n;
  }

  /** Whether every cell is blank (white space only), without splitting. */
  isBlank(): boolean {
    return blankLine(this.#delimiter).test(this.line);
  }
}

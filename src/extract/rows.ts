/**
 * Row-stream steps shared by all extractors: limits, resuming after a committed locator, and
 * dropping what follows the last non-blank row of a sheet or CSV file ("What a row is").
 */
import { type LimitGuard } from './limits';
import { LineRow } from './line-row';
import { ExtractError, type RawCell, type RawRow, type RowLocator } from './types';

/** U+3000 (全角空格) counts as white space here, as it does everywhere in the rules. */
const BLANK_TEXT = /^[\s\u3000]*$/;

export function isBlankCell(cell: RawCell): boolean {
  return cell === null || (typeof cell === 'string' && BLANK_TEXT.test(cell));
}

export function isBlankRow(cells: readonly RawCell[]): boolean {
  return cells.every(isBlankCell);
}

/** Rows travel between the steps in batches (one per chunk read): an async hop per row costs more
 * than the row. Only the last step hands out single rows. */
export type RowBatches = AsyncIterable<RawRow[]>;

/** Blank rows are held back until a non-blank row follows; those at the end are never yielded.
 * Runs of empty rows (a sheet formatted down to row 1,048,576) are held as a count, not as rows. */
export async function* dropTrailingBlankRows(batches: RowBatches): AsyncGenerator<RawRow[]> {
  let held = new HeldBlanks('');
  for await (const batch of batches) {
    const out: RawRow[] = [];
    for (const row of batch) {
      if (row.stream !== held.stream) held = new HeldBlanks(row.stream); // the last sheet's trailing blanks
      if (row instanceof LineRow ? row.isBlank() : isBlankRow(row.cells)) {
        held.add(row);
        continue;
      }
      held.releaseInto(out);
      out.push(row);
    }
    if (out.length > 0) yield out;
  }
}

class HeldBlanks {
  private items: (RawRow | { from: number; to: number })[] = [];
  constructor(readonly stream: string) {}

  add(row: RawRow): void {
    const last = this.items[this.items.length - 1];
    if (row.cells.length === 0 && last && 'to' in last && last.to === row.rowNo - 1) last.to = row.rowNo;
    else if (row.cells.length === 0) this.items.push({ from: row.rowNo, to: row.rowNo });
    else this.items.push(row);
  }

  releaseInto(out: RawRow[]): void {
    for (const item of this.items) {
      if ('cells' in item) out.push(item);
      else for (let rowNo = item.from; rowNo <= item.to; rowNo++) out.push({ stream: this.stream, rowNo, cells: [] });
    }
    this.items = [];
  }
}

/**
 * Checks limits on every row, then skips everything up to and including the committed locator,
 * in yield order: streams before it and rows of its stream numbered up to it. A locator that never
 * comes means the source is not the one the checkpoint was taken on — an error, never a silent
 * re-landing or loss. One generator for both, batch by batch, since each async hop costs.
 */
export async function* guardAndResume(batches: RowBatches, guard: LimitGuard, resumeAfter: RowLocator | undefined): AsyncGenerator<RawRow[]> {
  let passed = !resumeAfter;
  for await (const batch of batches) {
    for (const row of batch) guard.checkRow(row);
    if (passed) {
      yield batch;
      continue;
    }
    const at = batch.findIndex((row) => row.stream === resumeAfter!.stream && row.rowNo >= resumeAfter!.rowNo);
    if (at < 0) continue;
    passed = true;
    const rest = batch.slice(batch[at]!.rowNo > resumeAfter!.rowNo ? at : at + 1);
    if (rest.length > 0) yield rest;
  }
  if (!passed) {
    throw new ExtractError(
      'resume point not found in this source',
      guard.file,
      resumeAfter!.stream,
      resumeAfter!.rowNo,
      undefined,
      'extract.resume_not_found',
    );
  }
}

/** The standard tail every extractor puts on its raw rows, still in batches. */
export function finishRows(
  rows: RowBatches,
  guard: LimitGuard,
  resumeAfter: RowLocator | undefined,
  options: { dropTrailingBlanks: boolean },
): AsyncGenerator<RawRow[]> {
  return guardAndResume(options.dropTrailingBlanks ? dropTrailingBlankRows(rows) : rows, guard, resumeAfter);
}

/** Row by row, for readers that look at a few rows (inspect, mapping check, tests); landing
 * takes the batches. */
export async function* eachRow(batches: RowBatches): AsyncGenerator<RawRow> {
  for await (const batch of batches) yield* batch;
}

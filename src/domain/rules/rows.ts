/**
 * Rows that are not records (normalization-rules.md, "Rows that are not records"): blank rows,
 * repeated header rows, and subtotal/total rows. Everything else is a record, and a record with a
 * missing key is rejected by its rules, not skipped here.
 */
import type { RawCell } from '../../extract/types';
import { compactText, isBlankCell } from './text';

export type NonRecordCode = 'skip.blank' | 'skip.header' | 'skip.subtotal';

export interface NonRecordOptions {
  /** texts of the header row (and any title or page-header line the mapping declares, as text or
   * pattern); compared without white space, width or case differences */
  headerTexts: ReadonlyArray<string | RegExp>;
  /** the natural-key columns (0-based): a subtotal row leaves at least one of them empty */
  keyColumnIndexes: readonly number[];
}

/** 合计 total, 小计 subtotal, 总计 grand total, 本页合计 page total; a trailing colon is tolerated. */
const SUBTOTAL_LABELS = new Set(['合计', '小计', '总计', '本页合计']);
const TRAILING_COLON = /[:：]$/u;

const labelKey = (cell: RawCell): string => compactText(cell).toLowerCase();

interface HeaderMatcher {
  /** the list it was made from, element by element */
  source: readonly (string | RegExp)[];
  texts: ReadonlySet<string>;
  patterns: readonly RegExp[];
}

/** The header texts as compared, made once per list: every row of a stream is checked against
 * the same list, and building the set per row cost more than the rest of the check. */
const headerMatchers = new WeakMap<ReadonlyArray<string | RegExp>, HeaderMatcher>();

const sameList = (a: ReadonlyArray<string | RegExp>, b: ReadonlyArray<string | RegExp>): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

function headerMatcher(headerTexts: ReadonlyArray<string | RegExp>): HeaderMatcher {
  let m = headerMatchers.get(headerTexts);
  // a caller may change its list between calls: the cached matcher holds only for the same items
  if (!m || !sameList(m.source, headerTexts)) {
    m = {
      source: [...headerTexts],
      texts: new Set(headerTexts.filter((t): t is string => typeof t === 'string').map(labelKey)),
      patterns: headerTexts.filter((t): t is RegExp => t instanceof RegExp),
    };
    headerMatchers.set(headerTexts, m);
  }
  return m;
}

function isHeaderText(cell: RawCell, m: HeaderMatcher): boolean {
  const key = labelKey(cell);
  if (m.texts.has(key)) return true;
  for (const p of m.patterns) if (p.test(key)) return true;
  return false;
}

/** A cell the row holds that is not blank; a hole of a sparse array is skipped, as filter() did
 * (an undefined that is there is not blank: isBlankCell only calls null and white space blank). */
const isFilled = (cells: readonly RawCell[], i: number): boolean => {
  const c = cells[i];
  return c === undefined ? i in cells : !isBlankCell(c);
};

export function classifyNonRecord(cells: readonly RawCell[], options: NonRecordOptions): NonRecordCode | null {
  // plain loops and no closures: this runs for every landed row
  let filled = 0;
  let allHeader = true;
  let m: HeaderMatcher | undefined;
  for (let i = 0; i < cells.length; i++) {
    if (!isFilled(cells, i)) continue;
    filled++;
    if (allHeader) {
      m ??= headerMatcher(options.headerTexts);
      allHeader = isHeaderText(cells[i]!, m);
    }
  }
  if (filled === 0) return 'skip.blank';
  if (allHeader) return 'skip.header';

  let keyEmpty = false;
  for (const i of options.keyColumnIndexes) {
    if (isBlankCell(cells[i] ?? null)) {
      keyEmpty = true;
      break;
    }
  }
  if (!keyEmpty) return null;
  for (let i = 0; i < cells.length; i++) {
    if (isFilled(cells, i) && SUBTOTAL_LABELS.has(labelKey(cells[i]!).replace(TRAILING_COLON, ''))) return 'skip.subtotal';
  }
  return null;
}

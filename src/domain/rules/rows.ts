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

const labelKey = (cell: RawCell): string => compactText(cell).toLowerCase();

export function classifyNonRecord(cells: readonly RawCell[], options: NonRecordOptions): NonRecordCode | null {
  const filled = cells.filter((c) => !isBlankCell(c));
  if (filled.length === 0) return 'skip.blank';

  const texts = new Set(options.headerTexts.filter((t): t is string => typeof t === 'string').map(labelKey));
  const patterns = options.headerTexts.filter((t): t is RegExp => t instanceof RegExp);
  const isHeaderText = (cell: RawCell): boolean => {
    const key = labelKey(cell);
    return texts.has(key) || patterns.some((p) => p.test(key));
  };
  if (filled.every(isHeaderText)) return 'skip.header';

  const keyEmpty = options.keyColumnIndexes.some((i) => isBlankCell(cells[i] ?? null));
  if (keyEmpty && filled.some((c) => SUBTOTAL_LABELS.has(labelKey(c).replace(/[:：]$/u, '')))) return 'skip.subtotal';
  return null;
}

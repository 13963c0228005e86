/** Person and employer names (姓名, 单位名称): spacing, width and the minority-name middle dot. */
import type { RawCell } from '../../extract/types';
import { fail, ok, type RuleResult } from './result';
import { cellText, collapseSpaces, toHalfWidth, trimText, unifyMiddleDots } from './text';

export function normalizeName(raw: RawCell): RuleResult<string> {
  const text = cellText(raw) ?? '';
  // Width first, so full-width ．(U+FF0E) arrives at the dot rule as '.', like every other look-alike.
  const name = unifyMiddleDots(collapseSpaces(trimText(toHalfWidth(text))));
  return name === '' ? fail({ code: 'name.missing' }) : ok(name);
}

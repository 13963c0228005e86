/** Administrative division code fields (行政区划代码, GB/T 2260): 6 digits in the province loaded. */
import type { RawCell } from '../../extract/types';
import { fail, ok, type RuleResult } from './result';
import { identifierText } from './text';

/**
 * `provincePrefix` is the two-digit province part (e.g. '37'). Only the shape and the province are
 * checked here: historical (retired) codes of the province are accepted, since old records carry
 * them. Not for the region part of a resident ID or the division inside a USC code.
 */
export function normalizeDivisionCode(raw: RawCell, provincePrefix: string): RuleResult<string> {
  if (!/^\d{2}$/.test(provincePrefix)) throw new RangeError(`province prefix must be 2 digits: ${provincePrefix}`);
  const code = identifierText(raw);
  if (/^\d{6}$/.test(code) && code.startsWith(provincePrefix)) return ok(code);
  return fail({ code: 'division_code.unknown', detail: String(raw) });
}

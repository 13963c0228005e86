/**
 * Amounts (金额) to integer fen (分) as bigint. The mapping declares each column's unit: 元 in
 * personal payments, 万元 in fund statements, sometimes 分. Conversion is exact decimal
 * arithmetic on the digits; a value that is not a whole number of fen is refused, never rounded.
 */
import type { RawCell } from '../../extract/types';
import { fail, ok, type Reason, type RuleResult } from './result';
import { cellText, isBlankCell, toHalfWidth, trimText } from './text';

export type AmountUnit = 'yuan' | 'wan_yuan' | 'fen';

const FEN_PER_UNIT: Record<AmountUnit, bigint> = { fen: 1n, yuan: 100n, wan_yuan: 1_000_000n };
/** A unit word after the number is accepted only when it agrees with the declared unit: `12元`
 * in a 万元 column is a contradiction, not something to guess about. */
const UNIT_SUFFIX: Record<AmountUnit, string> = { fen: '分', yuan: '元', wan_yuan: '万元' };

/** Optional sign and currency sign (either order), digits grouped in threes or not at all, an
 * optional fraction. The first group of a grouped number never starts with 0. */
const AMOUNT = /^([+\-\u2212]?)\s*[¥\uFFE5]?\s*([+\-\u2212]?)((?:[1-9]\d{0,2}(?:,\d{3})+|\d*))(?:\.(\d*))?$/u;

/** 10ⁿ for the usual numbers of decimals, so most amounts compute no power */
const POW10: readonly bigint[] = [1n, 10n, 100n, 1000n, 10_000n];

export interface AmountOptions {
  /** refunds and corrections may be negative; everything else is refused `amount.negative` */
  allowNegative?: boolean;
}

export function toFen(raw: RawCell, unit: AmountUnit, options: AmountOptions = {}): RuleResult<bigint> {
  // the raw value's text is only needed for a reason: most amounts have none
  if (isBlankCell(raw) || typeof raw === 'boolean') return fail({ code: 'amount.format', detail: String(raw) });
  if (typeof raw === 'number' && !Number.isFinite(raw)) return fail({ code: 'amount.format', detail: String(raw) });

  let text = trimText(toHalfWidth(cellText(raw) ?? ''));
  if (text.endsWith(UNIT_SUFFIX[unit])) text = trimText(text.slice(0, -UNIT_SUFFIX[unit].length));

  const m = AMOUNT.exec(text);
  const [, sign1 = '', sign2 = '', intPart = '', frac = ''] = m ?? [];
  if (!m || (sign1 && sign2) || intPart + frac === '') return fail({ code: 'amount.format', detail: String(raw) });

  const scaled = BigInt(intPart.replaceAll(',', '') + frac) * FEN_PER_UNIT[unit];
  const divisor = POW10[frac.length] ?? 10n ** BigInt(frac.length);
  const negative = (sign1 || sign2) !== '' && (sign1 || sign2) !== '+' && scaled !== 0n;

  const inexact = scaled % divisor !== 0n;
  if (inexact || (negative && !options.allowNegative)) {
    const reasons: Reason[] = [];
    if (inexact) reasons.push({ code: 'amount.precision', detail: `${String(raw)} ${unit}` });
    if (negative && !options.allowNegative) reasons.push({ code: 'amount.negative', detail: String(raw) });
    return fail(...reasons);
  }

  const fen = scaled / divisor;
  return ok(negative ? -fen : fen);
}

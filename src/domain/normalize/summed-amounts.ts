/**
 * Money fields fed by several source amounts: a summed column (`sum: [利息收入, 其他收入]`) or
 * several item codes of a pivot naming one field. Each addend is read by the money rule in the
 * field's declared unit, so a bad addend is refused with a reason naming its column (or row);
 * the sum is exact integer fen, handed to the record kind as a decimal in that same unit so the
 * kind reads it by its usual rule (万元 has six places of fen, 元 two: the text is exact).
 */
import type { RawCell } from '../../extract/types';
import { toFen, type AmountUnit } from '../rules/money';
import { fail, ok, type Reason, type RuleResult } from '../rules/result';
import { isBlankCell } from '../rules/text';
import { spreadsheetNumber } from './field-reader';

export interface Addend {
  /** where the addend is, for the reason: a column label, or `row 7 (JY02)` */
  label: string;
  raw: RawCell;
}

const PLACES: Record<AmountUnit, number> = { fen: 0, yuan: 2, wan_yuan: 6 };

/** Integer fen as a decimal text in `unit`, exactly: 1234567 fen in 万元 is '1.234567'. */
export function fenInUnit(fen: bigint, unit: AmountUnit): string {
  const places = PLACES[unit];
  const sign = fen < 0n ? '-' : '';
  const digits = (fen < 0n ? -fen : fen).toString().padStart(places + 1, '0');
  return places === 0 ? sign + digits : `${sign}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/**
 * The sum of the addends as a cell for the kind: null when every addend is blank (the field is
 * then as missing as an empty column), blank addends counting 0 otherwise. Without a unit a
 * single non-blank addend is passed on unchanged, so the kind refuses it by its own rule.
 */
export function sumAmounts(field: string, addends: readonly Addend[], unit: AmountUnit | undefined, allowNegative: boolean): RuleResult<RawCell> {
  const given = addends.filter((a) => !isBlankCell(a.raw));
  if (given.length === 0) return ok(null);
  if (!unit) {
    if (given.length === 1) return ok(given[0]!.raw);
    return fail({ code: 'amount.unit_missing', field, detail: `the mapping declares no unit (wan_yuan or yuan) for ${field}` });
  }
  const reasons: Reason[] = [];
  let total = 0n;
  for (const a of given) {
    const fen = toFen(spreadsheetNumber(a.raw), unit, { allowNegative });
    if (fen.ok) total += fen.value;
    else reasons.push(...fen.reasons.map((r) => ({ ...r, field, detail: `${a.label}: ${r.detail ?? String(a.raw)}` })));
  }
  return reasons.length ? fail(...reasons) : ok(fenInUnit(total, unit));
}

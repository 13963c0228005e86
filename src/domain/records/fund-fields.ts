/**
 * Fields shared by the city fund records (fund_position, fund_year): the city, the basis of the
 * figures (决算 final accounts or 预算 budget), a year, and amounts that must declare their unit —
 * fund statements are usually in 万元, personal payments in 元, and guessing between the two would
 * be a ten-thousand-fold error.
 */
import { type FundBasis } from '../funds/city-figures';
import { type RuleCollector } from '../normalize/combine';
import type { Fields, NormalizeContext } from '../normalize/types';
import { translateCode } from '../rules/codes';
import { normalizeDivisionCode } from '../rules/division-code';
import { toFen, type AmountUnit } from '../rules/money';
import { fail, ok, type RuleResult } from '../rules/result';
import { cleanCell, compactText, isBlankCell } from '../rules/text';


const BASIS_WORDS: Record<string, FundBasis> = {
  决算: 'final_accounts',
  决算数: 'final_accounts',
  final: 'final_accounts',
  final_accounts: 'final_accounts',
  预算: 'budget',
  预算数: 'budget',
  budget: 'budget',
};

/** 合计 / 小计 / 总计 in a key column: a total line of the statement, not a record. */
const TOTAL_LABELS = /^(合计|小计|总计|本页合计)[:：]?$/u;

export const isTotalLabel = (raw: Fields[string] | undefined): boolean => TOTAL_LABELS.test(compactText(raw ?? null));

/** The row's city: its own division code column when the mapping binds one, else the mapping's city. */
export function fundCity(fields: Fields, ctx: NormalizeContext): RuleResult<string> {
  if (fields.city_code === undefined || isBlankCell(fields.city_code)) return ok(ctx.cityCode);
  return normalizeDivisionCode(fields.city_code, ctx.provinceCode);
}

/** 决算 or 预算, through the column's code table when it has one; final accounts when not given. */
export function fundBasis(fields: Fields, ctx: NormalizeContext): RuleResult<FundBasis> {
  const raw = fields.basis;
  if (raw === undefined || isBlankCell(raw)) return ok('final_accounts');
  const table = ctx.columns.basis?.codes;
  const text = table ? translateCode(raw, ctx.codes[table] ?? {}, 'basis') : ok(cleanCell(raw));
  if (!text.ok) return text;
  const basis = BASIS_WORDS[text.value.toLowerCase()];
  return basis ? ok(basis) : fail({ code: 'fund.basis', detail: String(raw) });
}

/** A fiscal year: 2021, '2021', '2021年', '2021年度'. */
export function fundYear(raw: Fields[string] | undefined): RuleResult<number> {
  const m = /^(\d{4})(?:年度?)?$/u.exec(cleanCell(raw ?? null));
  const year = m ? Number(m[1]) : NaN;
  return year >= 1950 && year <= 2100 ? ok(year) : fail({ code: 'fund.year', detail: String(raw) });
}

/** The unit the mapping declares for an amount column; a fund amount without one is refused. */
export const unitOf = (field: string, ctx: NormalizeContext): AmountUnit | undefined => ctx.columns[field]?.unit;

/**
 * An amount in integer fen from a column of declared unit; `optional` columns read blank as 0.
 * Returned as a decimal string, the form payloads carry bigints in.
 */
export function fundAmount(c: RuleCollector, fields: Fields, ctx: NormalizeContext, field: string, optional = false): string | undefined {
  const raw = fields[field] ?? null;
  if (optional && isBlankCell(raw)) return '0';
  const unit = unitOf(field, ctx);
  if (!unit) {
    c.reasons.push({ code: 'amount.unit_missing', field, detail: `the mapping declares no unit (wan_yuan or yuan) for ${field}` });
    return undefined;
  }
  const fen = c.value(field, toFen(raw, unit, { allowNegative: ctx.columns[field]?.allow_negative === true }))?.toString();
  // the normalized view (kept with a reject) carries fen as text, as FieldReader.amount does: JSON has no bigint
  if (fen !== undefined) c.normalized[field] = fen;
  return fen;
}

/**
 * The unit kept with the record: the declared unit of its amount columns. Columns of one
 * statement in different units are unusual enough to spell out, e.g. 'wan_yuan,yuan'.
 */
export function recordUnit(ctx: NormalizeContext, amountFields: readonly string[]): string {
  const units = [...new Set(amountFields.map((f) => unitOf(f, ctx)).filter((u): u is AmountUnit => u !== undefined))];
  return units.length > 0 ? units.join(',') : 'unknown';
}


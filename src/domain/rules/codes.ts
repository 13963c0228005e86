/**
 * Code translation: city code tables to the provincial enumerations, and the few codes the
 * province reads directly (risk class, disability grade, nursing level).
 */
import type { RawCell } from '../../extract/types';
import { type DisabilityGrade, type NursingLevel, type RiskClass } from '../../../mappings/province/enumerations';
import { INDUSTRY_RISK_CLASSES, type IndustryEdition, type IndustryRiskTable } from '../../../mappings/province/industry-risk-classes';
import { fail, ok, type RuleResult } from './result';
import { cleanCell, isBlankCell } from './text';

/** A city code table as the mapping gives it: raw city code → provincial code. */
export type CodeTable<T extends string = string> = Readonly<Record<string, T>>;

const unmapped = (raw: RawCell, column: string): RuleResult<never> =>
  fail({ code: 'code.unmapped', field: column, detail: String(raw) });

/**
 * Looks the trimmed, half-width text of the cell up in the city's table (a numeric cell by its
 * text, so 1 finds '1'). An empty cell is looked up as '' — a table may give it a meaning.
 */
export function translateCode<T extends string>(raw: RawCell, table: CodeTable<T>, column: string): RuleResult<T> {
  const key = cleanCell(raw);
  return Object.hasOwn(table, key) ? ok(table[key] as T) : unmapped(raw, column);
}

const CHINESE_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const ROMAN_NUMERALS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'];
/** Ⅰ–Ⅷ as single characters (U+2160–U+2167), common in Chinese documents. */
const ROMAN_CHARS = 'ⅠⅡⅢⅣⅤⅥⅦⅧ';

/** 1–n from '3', '3类'/'3级', '三类'/'三级' (with the given suffix), or 0 when none of those. */
function ordinal(text: string, suffix: string, max: number): number {
  const digits = new RegExp(`^(\\d{1,2})${suffix}?$`, 'u').exec(text);
  if (digits) return Number(digits[1]) <= max && !digits[1]?.startsWith('0') ? Number(digits[1]) : 0;
  const chinese = new RegExp(`^第?(.)${suffix}$`, 'u').exec(text);
  const n = chinese ? CHINESE_NUMERALS.indexOf(chinese[1] ?? '') + 1 : 0;
  return n <= max ? n : 0;
}

/** Industry risk class (行业风险类别) as 1–8, 一类–八类 or I–VIII (Ⅰ–Ⅷ). */
export function parseRiskClass(raw: RawCell, column = 'risk_class'): RuleResult<RiskClass> {
  const text = cleanCell(raw).toUpperCase();
  const roman = text.replace(/类$/u, '');
  const n = ordinal(text, '类', 8) || ROMAN_NUMERALS.indexOf(roman) + 1 || (roman.length === 1 ? ROMAN_CHARS.indexOf(roman) + 1 : 0);
  return n > 0 ? ok(String(n) as RiskClass) : unmapped(raw, column);
}

/**
 * Risk class from a GB/T 4754 industry code in the declared edition: a division (大类, 2 digits),
 * or a group or class code (3–4 digits, optionally after the section letter: 'C3311', 'I65')
 * whose first two digits are the division. A numeric cell is read only as a division (1–99):
 * a longer number may have lost a leading zero ('0111' → 111) and is ambiguous.
 */
export function riskClassFromIndustry(
  raw: RawCell,
  edition: IndustryEdition,
  column = 'industry',
  tables: Readonly<Record<IndustryEdition, IndustryRiskTable>> = INDUSTRY_RISK_CLASSES,
): RuleResult<RiskClass> {
  let division: string | undefined;
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw >= 1 && raw <= 99) division = String(raw).padStart(2, '0');
  } else {
    division = /^[A-T]?(\d{2})\d{0,2}$/.exec(cleanCell(raw).toUpperCase())?.[1];
  }
  const riskClass = division !== undefined ? tables[edition][division] : undefined;
  return riskClass ? ok(riskClass) : unmapped(raw, column);
}

/** Pre-2015 three-class codes (三类行业) through the crosswalk the city supplies. The mapping must
 * say which a column holds: '1'–'3' mean different things in the two schemes. */
export function riskClassFromCrosswalk(raw: RawCell, crosswalk: CodeTable<RiskClass>, column = 'risk_class'): RuleResult<RiskClass> {
  return translateCode(raw, crosswalk, column);
}

/** Disability grade (伤残等级) 1–10, also 一级–十级 and 1级. */
export function parseDisabilityGrade(raw: RawCell, column = 'disability_grade'): RuleResult<DisabilityGrade> {
  const n = ordinal(cleanCell(raw), '级', 10);
  return n > 0 ? ok(String(n) as DisabilityGrade) : unmapped(raw, column);
}

const NURSING_PHRASES: Readonly<Record<string, NursingLevel>> = {
  完全不能自理: '1',
  大部分不能自理: '2',
  部分不能自理: '3',
};

/** Nursing level (生活自理障碍等级) 1–3 (also 一级–三级 and the three phrases); empty = none (null). */
export function parseNursingLevel(raw: RawCell, column = 'nursing_level'): RuleResult<NursingLevel | null> {
  if (isBlankCell(raw)) return ok(null);
  const text = cleanCell(raw);
  const n = ordinal(text, '级', 3);
  if (n > 0) return ok(String(n) as NursingLevel);
  return Object.hasOwn(NURSING_PHRASES, text) ? ok(NURSING_PHRASES[text] as NursingLevel) : unmapped(raw, column);
}

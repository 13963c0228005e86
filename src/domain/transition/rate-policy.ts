/**
 * The provincial rate policy (费率政策): one versioned file with an effective date that sets the
 * base rate and floating bands of each industry risk class (人社部发〔2015〕71号), the rule that
 * picks an employer's band, and the limits of the transition (max_step, max_income_swing,
 * benefit_steps). See transition-rules.md. Every rate and threshold is a decimal string — a YAML
 * number would already have gone through binary floating point — and stays a string here.
 */
import { z } from 'zod';
import { compare, parseDecimal, ratio } from '../decimal';
import { DISABILITY_GRADES, RISK_CLASSES, type RiskClass } from '../../../mappings/province/enumerations';
import { isYmd } from '../funds/due-dates';
import { fail, ok, type Reason, type RuleResult } from '../rules/result';

const decimalText = z
  .string({ error: 'a decimal string is expected (quote it in YAML so it stays exact)' })
  .regex(/^\d+(\.\d+)?$/, 'a non-negative decimal such as "0.0110" is expected');

/** A risk class as the provincial enumeration writes it ('1' … '8'); YAML may say 1 … 8. */
const riskClass = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.enum(RISK_CLASSES));

/**
 * 'YYYY-MM-DD'. The `yaml` package's default schema keeps an unquoted date as text; a YAML 1.1
 * parse gives a Date at UTC midnight, accepted too (as the fund policy does).
 */
const isoDate = z.preprocess(
  (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
  z.string().refine(isYmd, { message: 'a real date written YYYY-MM-DD' }),
);

/** Versions end up in record ids, so a token: letters, digits, '.', '_' or '-'; YAML 1 becomes "1". */
const version = z
  .union([z.string(), z.int().nonnegative()])
  .transform(String)
  .pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'letters, digits, ".", "_" or "-"' }));

/** One value per risk class, keyed 1–8 (YAML `1: "0.002"` arrives as the key "1"). */
const perClass = <T extends z.ZodType>(value: T) =>
  z.strictObject({ '1': value, '2': value, '3': value, '4': value, '5': value, '6': value, '7': value, '8': value });

const FIVE_BANDS = ['0.5', '0.8', '1.0', '1.2', '1.5'];
/** Class 1 floats only upward; classes 2–8 have five bands (multiples of the base rate). */
export const DEFAULT_BANDS: Record<RiskClass, string[]> = {
  '1': ['1.0', '1.2', '1.5'],
  '2': [...FIVE_BANDS],
  '3': [...FIVE_BANDS],
  '4': [...FIVE_BANDS],
  '5': [...FIVE_BANDS],
  '6': [...FIVE_BANDS],
  '7': [...FIVE_BANDS],
  '8': [...FIVE_BANDS],
};

/**
 * The default floating rule (浮动办法). Column i of a row applies when the ratio of benefits paid
 * to contributions paid is ≤ ratio_thresholds[i]; the last column when it is above them all.
 */
export const DEFAULT_FLOATING_RULE = {
  non_floating_classes: ['1', '2'] as RiskClass[],
  min_contribution_months: 12,
  default_band: '1.0',
  ratio_thresholds: ['1.2', '3.0'],
  no_new_injury: ['0.8', '1.0', '1.0'],
  new_injury: ['1.0', '1.2', '1.5'],
};

const floatingRuleSchema = z.strictObject({
  /** classes that keep the default band whatever their record */
  non_floating_classes: z.array(riskClass).default(() => [...DEFAULT_FLOATING_RULE.non_floating_classes]),
  /** "one full year of contributions": fewer monthly periods than this keep the default band */
  min_contribution_months: z.int().positive().default(DEFAULT_FLOATING_RULE.min_contribution_months),
  default_band: decimalText.default(DEFAULT_FLOATING_RULE.default_band),
  ratio_thresholds: z.array(decimalText).min(1).default(() => [...DEFAULT_FLOATING_RULE.ratio_thresholds]),
  no_new_injury: z.array(decimalText).min(2).default(() => [...DEFAULT_FLOATING_RULE.no_new_injury]),
  new_injury: z.array(decimalText).min(2).default(() => [...DEFAULT_FLOATING_RULE.new_injury]),
});

/**
 * The provincial benefit standard (待遇标准) the monthly benefits are brought to (domain.md §2): the
 * provincial average monthly wage of the previous year and the shares of the Regulation. Grades
 * 5–6 are paid by the employer, so the fund's table lists grades 1–4 only.
 */
export const DEFAULT_BENEFIT_SHARES = {
  wage_floor: '0.6',
  wage_ceiling: '3.0',
  disability_allowance: { '1': '0.90', '2': '0.85', '3': '0.80', '4': '0.75' } as Partial<Record<(typeof DISABILITY_GRADES)[number], string>>,
  nursing_care: { '1': '0.50', '2': '0.40', '3': '0.30' },
  dependent_pension: '0.40',
};

const benefitStandardsSchema = z.strictObject({
  /** 上年度全省职工月平均工资 in integer fen, quoted */
  average_monthly_wage_fen: z.string().regex(/^\d+$/, 'integer fen as a quoted string'),
  /** 本人工资 is clamped to floor … ceiling × the average wage (Regulation art. 64) */
  wage_floor: decimalText.default(DEFAULT_BENEFIT_SHARES.wage_floor),
  wage_ceiling: decimalText.default(DEFAULT_BENEFIT_SHARES.wage_ceiling),
  /** 伤残津贴: share of 本人工资 by disability grade */
  disability_allowance: z
    .partialRecord(z.enum(DISABILITY_GRADES), decimalText)
    .default(() => ({ ...DEFAULT_BENEFIT_SHARES.disability_allowance })),
  /** 生活护理费: share of the average wage by nursing level */
  nursing_care: z.strictObject({ '1': decimalText, '2': decimalText, '3': decimalText }).default(() => ({ ...DEFAULT_BENEFIT_SHARES.nursing_care })),
  /** 供养亲属抚恤金: the standard a case's pension is brought to, as a share of the average wage */
  dependent_pension: decimalText.default(DEFAULT_BENEFIT_SHARES.dependent_pension),
});

const ratePolicyObject = z.strictObject({
  version,
  effective_from: isoDate,
  /** the policy document the rates come from, e.g. 人社部发〔2015〕71号 or a provincial file */
  document: z.string().min(1).optional(),
  base_rates: perClass(decimalText),
  // Defaults are fresh copies, so a caller editing one parsed policy cannot change the next.
  bands: perClass(z.array(decimalText).min(1)).default(() => structuredClone(DEFAULT_BANDS)),
  floating_rule: floatingRuleSchema.default(() => structuredClone(DEFAULT_FLOATING_RULE)),
  /** the most a rate moves in one yearly step, in rate units ("0.002" = 0.2 percentage points) */
  max_step: decimalText,
  /** a city-year whose projected income changes by more than this fraction is flagged */
  max_income_swing: decimalText,
  /** yearly steps in which a legacy benefit below the standard is raised to it */
  benefit_steps: z.int().positive(),
  /** the standard of the benefit transition; without it benefits are not planned */
  benefit_standards: benefitStandardsSchema.optional(),
});

export type RatePolicy = z.infer<typeof ratePolicyObject>;
export type FloatingRule = RatePolicy['floating_rule'];
export type BenefitStandards = NonNullable<RatePolicy['benefit_standards']>;

type IssueSink = (path: (string | number)[], message: string) => void;

const isStrictlyAscending = (values: readonly string[]): boolean =>
  values.every((v, i) => i === 0 || compare(parseDecimal(values[i - 1]!), parseDecimal(v)) < 0);

const hasBand = (bands: readonly string[], band: string): boolean =>
  bands.some((b) => compare(parseDecimal(b), parseDecimal(band)) === 0);

/** Cross-field rules a field-by-field schema cannot state. */
function checkConsistency(p: RatePolicy, issue: IssueSink): void {
  const rule = p.floating_rule;
  const standards = p.benefit_standards;
  if (standards && compare(parseDecimal(standards.wage_floor), parseDecimal(standards.wage_ceiling)) > 0) {
    issue(['benefit_standards', 'wage_floor'], 'must not be above wage_ceiling');
  }
  for (const [grade, share] of Object.entries(standards?.disability_allowance ?? {})) {
    // the implied 本人工资 is the allowance divided by its share
    if (compare(parseDecimal(share), ratio(0n)) <= 0) issue(['benefit_standards', 'disability_allowance', grade], 'must be greater than 0');
  }
  if (compare(parseDecimal(p.max_step), ratio(0n)) <= 0) {
    issue(['max_step'], 'must be greater than 0, or no rate would ever reach its target');
  }
  if (!isStrictlyAscending(rule.ratio_thresholds)) {
    issue(['floating_rule', 'ratio_thresholds'], 'thresholds must be strictly ascending');
  }
  for (const row of ['no_new_injury', 'new_injury'] as const) {
    if (rule[row].length !== rule.ratio_thresholds.length + 1) {
      issue(['floating_rule', row], `needs one band per ratio column: ${rule.ratio_thresholds.length + 1}`);
    }
  }
  for (const c of RISK_CLASSES) {
    const bands = p.bands[c];
    if (!isStrictlyAscending(bands)) issue(['bands', c], 'bands must be strictly ascending');
    if (!hasBand(bands, rule.default_band)) {
      issue(['bands', c], `lacks the default band ${rule.default_band}`);
    }
    if (rule.non_floating_classes.includes(c)) continue;
    const tableBands = new Set([...rule.no_new_injury, ...rule.new_injury]);
    for (const band of tableBands) {
      if (!hasBand(bands, band)) issue(['bands', c], `lacks band ${band}, which the floating rule can choose`);
    }
  }
}

const ratePolicySchema = ratePolicyObject.superRefine((p, ctx) =>
  checkConsistency(p, (path, message) => ctx.addIssue({ code: 'custom', path, message })),
);

/**
 * Validates a rate policy read from YAML or JSON. Every problem is returned as a
 * `rate_policy.invalid` reason whose field is the dotted path into the file.
 */
export function parseRatePolicy(input: unknown): RuleResult<RatePolicy> {
  const parsed = ratePolicySchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const reasons: Reason[] = parsed.error.issues.map((i) => ({
    code: 'rate_policy.invalid',
    field: i.path.map(String).join('.'),
    detail: i.message,
  }));
  return fail(...reasons);
}

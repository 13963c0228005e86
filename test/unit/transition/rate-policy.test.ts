import { RISK_CLASSES } from '../../../mappings/province/enumerations';
import { DEFAULT_BANDS, DEFAULT_FLOATING_RULE, parseRatePolicy } from '../../../src/domain/transition';
import { readSamplePolicyYaml, samplePolicy } from './sample-policy';

const minimal = {
  version: 1,
  effective_from: '2025-01-01',
  base_rates: { 1: '0.002', 2: '0.004', 3: '0.007', 4: '0.009', 5: '0.011', 6: '0.013', 7: '0.016', 8: '0.019' },
  max_step: '0.002',
  max_income_swing: '0.10',
  benefit_steps: 3,
};

/** The fields named by the reasons, or [] when the policy is valid. */
function invalidFields(input: unknown): string[] {
  const r = parseRatePolicy(input);
  return r.ok ? [] : r.reasons.map((x) => x.field ?? '');
}

describe('parseRatePolicy', () => {
  it('reads the sample policy with the national base rates and limits', () => {
    const p = samplePolicy();
    expect(p.version).toBe('2025.1');
    expect(p.effective_from).toBe('2025-01-01');
    expect(RISK_CLASSES.map((c) => p.base_rates[c])).toEqual([
      '0.002', '0.004', '0.007', '0.009', '0.011', '0.013', '0.016', '0.019',
    ]);
    expect(p.bands['1']).toEqual(['1.0', '1.2', '1.5']);
    expect(p.bands['8']).toEqual(['0.5', '0.8', '1.0', '1.2', '1.5']);
    expect(p.floating_rule).toEqual(DEFAULT_FLOATING_RULE);
    expect([p.max_step, p.max_income_swing, p.benefit_steps]).toEqual(['0.002', '0.10', 3]);
  });

  it('fills the default bands and floating rule when the file leaves them out', () => {
    const r = parseRatePolicy(minimal);
    expect(r.ok && r.value.bands).toEqual(DEFAULT_BANDS);
    expect(r.ok && r.value.floating_rule).toEqual(DEFAULT_FLOATING_RULE);
    // Each parse gets its own copy of the defaults.
    expect(r.ok && r.value.bands['3']).not.toBe(DEFAULT_BANDS['3']);
    expect(r.ok && r.value.floating_rule).not.toBe(DEFAULT_FLOATING_RULE);
  });

  it('refuses unquoted numbers, which would have passed through floating point', () => {
    const r = parseRatePolicy({ ...minimal, max_step: 0.002 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reasons[0]).toMatchObject({ code: 'rate_policy.invalid', field: 'max_step' });
    expect(!r.ok && r.reasons[0]?.detail).toMatch(/quote it/);
  });

  it.each([
    ['a missing class', { ...minimal, base_rates: { ...minimal.base_rates, 8: undefined } }, 'base_rates.8'],
    ['a ninth class', { ...minimal, base_rates: { ...minimal.base_rates, 9: '0.02' } }, 'base_rates'],
    ['a negative rate', { ...minimal, base_rates: { ...minimal.base_rates, 3: '-0.007' } }, 'base_rates.3'],
    ['max_step zero', { ...minimal, max_step: '0.000' }, 'max_step'],
    ['benefit_steps zero', { ...minimal, benefit_steps: 0 }, 'benefit_steps'],
    ['a non-date effective_from', { ...minimal, effective_from: '2025-02-30' }, 'effective_from'],
    ['a version with a colon', { ...minimal, version: 'v:1' }, 'version'],
    ['an unknown risk class', { ...minimal, floating_rule: { non_floating_classes: [1, 9] } }, 'floating_rule.non_floating_classes.1'],
    ['an unknown key', { ...minimal, max_steps: '0.002' }, ''],
    ['descending thresholds', { ...minimal, floating_rule: { ratio_thresholds: ['3.0', '1.2'] } }, 'floating_rule.ratio_thresholds'],
    ['a row too short', { ...minimal, floating_rule: { new_injury: ['1.0', '1.2'] } }, 'floating_rule.new_injury'],
    ['unsorted bands', { ...minimal, bands: { ...DEFAULT_BANDS, 4: ['0.8', '0.5', '1.0', '1.2', '1.5'] } }, 'bands.4'],
    ['a floating class without a band the table chooses', { ...minimal, bands: { ...DEFAULT_BANDS, 3: ['1.0', '1.2', '1.5'] } }, 'bands.3'],
    ['a class without the default band', { ...minimal, bands: { ...DEFAULT_BANDS, 5: ['0.8', '1.2', '1.5'] } }, 'bands.5'],
  ])('refuses %s', (_what, input, field) => {
    expect(invalidFields(input)).toContain(field);
  });

  it('lets a non-floating class lack the table bands, but not once it floats', () => {
    expect(invalidFields(minimal)).toEqual([]);
    // Class 1 has no 0.8 band: fine while it does not float, refused when the rule floats it.
    expect(invalidFields({ ...minimal, floating_rule: { non_floating_classes: [2] } })).toEqual(['bands.1']);
  });

  it('reads YAML numbers for the version and the non-floating classes as the enumeration spells them', () => {
    const r = parseRatePolicy({ ...minimal, version: 3, floating_rule: { non_floating_classes: [1, 2] } });
    expect(r.ok && [r.value.version, r.value.floating_rule.non_floating_classes]).toEqual(['3', ['1', '2']]);
  });

  it('accepts a date parsed by a YAML 1.1 reader', () => {
    const r = parseRatePolicy({ ...minimal, effective_from: new Date(Date.UTC(2025, 0, 1)) });
    expect(r.ok && r.value.effective_from).toBe('2025-01-01');
  });

  it('accepts a province-specific rule with more columns', () => {
    const rule = {
      ratio_thresholds: ['0.5', '1.2', '3.0'],
      no_new_injury: ['0.5', '0.8', '1.0', '1.0'],
      new_injury: ['1.0', '1.0', '1.2', '1.5'],
    };
    expect(invalidFields({ ...minimal, floating_rule: { non_floating_classes: ['1'], ...rule } })).toEqual([]);
  });

  it('reads the YAML keys 1–8 of the sample file as classes', () => {
    const raw = readSamplePolicyYaml() as { base_rates: Record<string, string> };
    expect(Object.keys(raw.base_rates)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
  });
});

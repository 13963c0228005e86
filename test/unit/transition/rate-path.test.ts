import { RISK_CLASSES } from '../../../mappings/province/enumerations';
import { rateInForce, ratePath, rebandPath, targetRate, type RatePath } from '../../../src/domain/transition';
import { samplePolicy } from './sample-policy';

const policy = samplePolicy();
const rates = (p: RatePath): string[] => p.steps.map((s) => s.rate);

describe('targetRate = base × band, exact', () => {
  it.each([
    ['1', '1.0', '0.0020'],
    ['1', '1.5', '0.0030'],
    ['2', '0.5', '0.0020'],
    ['5', '0.8', '0.0088'],
    ['7', '1.2', '0.0192'],
    ['8', '1.5', '0.0285'],
    ['8', '0.5', '0.0095'],
  ] as const)('class %s × band %s = %s', (c, band, expected) => {
    expect(targetRate(c, band, policy)).toBe(expected);
  });

  it('band 1.0 gives the base rate of every class', () => {
    expect(RISK_CLASSES.map((c) => targetRate(c, '1.0', policy))).toEqual([
      '0.0020', '0.0040', '0.0070', '0.0090', '0.0110', '0.0130', '0.0160', '0.0190',
    ]);
  });

  it('keeps every digit a provincial base rate has', () => {
    const own = { ...policy, base_rates: { ...policy.base_rates, '4': '0.00875' } };
    expect(targetRate('4', '1.5', own)).toBe('0.013125');
    expect(targetRate('4', '1.2', own)).toBe('0.0105');
    expect(targetRate('4', '0.8', own)).toBe('0.0070');
  });
});

describe('ratePath', () => {
  it('moves up by max_step a year and reaches the target exactly by a full step', () => {
    const p = ratePath('0.0100', '0.0160', '0.002', '2025-01-01');
    expect(rates(p)).toEqual(['0.0120', '0.0140', '0.0160']);
    expect(p.steps.map((s) => s.effective)).toEqual(['2025-01-01', '2026-01-01', '2027-01-01']);
    expect(p.steps.map((s) => s.change)).toEqual(['0.0020', '0.0020', '0.0020']);
    expect(p.steps.map((s) => s.fromRate)).toEqual(['0.0100', '0.0120', '0.0140']);
    expect(p).toMatchObject({ direction: 'up', moves: 3, reachesTargetOn: '2027-01-01', startRate: '0.0100' });
  });

  it('moves down and lands on the target instead of overshooting it', () => {
    const p = ratePath('0.0190', '0.0095', '0.002', '2025-01-01');
    expect(rates(p)).toEqual(['0.0170', '0.0150', '0.0130', '0.0110', '0.0095']);
    expect(p.steps.at(-1)).toMatchObject({ change: '-0.0015', atTarget: true });
    expect(p).toMatchObject({ direction: 'down', moves: 5, reachesTargetOn: '2029-01-01' });
  });

  it('lands at the switch-over when the gap is exactly max_step, or less', () => {
    expect(rates(ratePath('0.0110', '0.0130', '0.002', '2025-01-01'))).toEqual(['0.0130']);
    expect(rates(ratePath('0.0100', '0.0088', '0.002', '2025-01-01'))).toEqual(['0.0088']);
    expect(rates(ratePath('0.0110', '0.0088', '0.002', '2025-01-01'))).toEqual(['0.0090', '0.0088']);
  });

  it('starts at the target without a legacy rate, and stays when legacy equals target', () => {
    const fresh = ratePath(null, '0.0088', '0.002', '2025-01-01', 2);
    expect(fresh).toMatchObject({ startRate: null, direction: 'stay', moves: 0, reachesTargetOn: '2025-01-01' });
    expect(fresh.steps.map((s) => [s.fromRate, s.rate, s.change])).toEqual([
      ['0.0088', '0.0088', '0.0000'],
      ['0.0088', '0.0088', '0.0000'],
    ]);
    expect(ratePath('0.011', '0.0110', '0.002', '2025-01-01')).toMatchObject({ direction: 'stay', moves: 0 });
  });

  it('lists the horizon asked for: past the target it stays, short of it the path is cut', () => {
    const long = ratePath('0.0100', '0.0130', '0.002', '2025-01-01', 4);
    expect(rates(long)).toEqual(['0.0120', '0.0130', '0.0130', '0.0130']);
    const short = ratePath('0.0190', '0.0095', '0.002', '2025-01-01', 2);
    expect(rates(short)).toEqual(['0.0170', '0.0150']);
    expect(short).toMatchObject({ moves: 5, reachesTargetOn: '2029-01-01' });
  });

  it('keeps a legacy rate with more places exactly', () => {
    expect(rates(ratePath('0.01234', '0.0088', '0.002', '2025-07-01'))).toEqual(['0.01034', '0.0088']);
  });

  it('puts the anniversaries of a 29 February switch-over on 28 February in common years', () => {
    const p = ratePath('0.0100', '0.0190', '0.002', '2024-02-29');
    expect(p.steps.map((s) => s.effective)).toEqual(['2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29']);
  });

  it('refuses a max_step of zero and a bad horizon', () => {
    expect(() => ratePath('0.01', '0.02', '0', '2025-01-01')).toThrow(RangeError);
    expect(() => ratePath('0.01', '0.02', '0.002', '2025-01-01', 0)).toThrow(RangeError);
    expect(() => ratePath('-0.01', '0.02', '0.002', '2025-01-01')).toThrow(RangeError);
  });
});

describe('rateInForce', () => {
  const p = ratePath('0.0190', '0.0095', '0.002', '2025-07-01', 2);
  it.each([
    ['2025-06-30', '0.0190'],
    ['2025-07-01', '0.0170'],
    ['2026-06-30', '0.0170'],
    ['2026-07-01', '0.0150'],
    // beyond the listed horizon the path keeps moving by its rule
    ['2027-07-01', '0.0130'],
    ['2029-06-30', '0.0110'],
    ['2029-07-01', '0.0095'],
    ['2040-01-01', '0.0095'],
  ])('on %s is %s', (date, rate) => {
    expect(rateInForce(p, date)).toBe(rate);
  });

  it('is null before a path without a legacy rate starts, and its target after', () => {
    const fresh = ratePath(null, '0.0088', '0.002', '2025-01-01');
    expect(rateInForce(fresh, '2024-12-31')).toBeNull();
    expect(rateInForce(fresh, '2031-01-01')).toBe('0.0088');
  });
});

describe('rebandPath: a re-banding mid-path', () => {
  it('starts from the rate in force and never jumps to the new target', () => {
    // Class 8 employer moving down to band 0.5 (0.0095); re-banded to 1.2 (0.0228) from 2027-01-01.
    const first = ratePath('0.0190', targetRate('8', '0.5', policy), '0.002', '2025-01-01');
    const current = rateInForce(first, '2026-12-31');
    expect(current).toBe('0.0150');
    const next = rebandPath(current!, targetRate('8', '1.2', policy), '0.002', '2027-01-01');
    expect(rates(next)).toEqual(['0.0170', '0.0190', '0.0210', '0.0228']);
    expect(next.steps[0]).toMatchObject({ fromRate: '0.0150', change: '0.0020', effective: '2027-01-01' });
    expect(next).toMatchObject({ direction: 'up', moves: 4, reachesTargetOn: '2030-01-01' });
  });

  it('a new policy version with the same target continues where the path stood', () => {
    const first = ratePath('0.0100', '0.0160', '0.002', '2025-01-01');
    const next = rebandPath(rateInForce(first, '2025-12-31')!, '0.0160', '0.001', '2026-01-01');
    expect(rates(next)).toEqual(['0.0130', '0.0140', '0.0150', '0.0160']);
  });
});

/**
 * Property tests over seeded random cases (the seed is in the test name, so a failure replays).
 */
import { RISK_CLASSES } from '../../../mappings/province/enumerations';
import { compare, parseDecimal, sub, type Ratio } from '../../../src/domain/decimal';
import {
  anniversary,
  benefitTransition,
  chooseBand,
  rateInForce,
  ratePath,
  rebandPath,
  targetRate,
  type RatePath,
} from '../../../src/domain/transition';
import { decimalText, prng, type Prng } from './prng';
import { samplePolicy } from './sample-policy';

const policy = samplePolicy();
const CASES = 500;
const abs = (r: Ratio): Ratio => (r.num < 0n ? { num: -r.num, den: r.den } : r);
const between = (x: Ratio, a: Ratio, b: Ratio): boolean =>
  compare(a, b) <= 0 ? compare(a, x) <= 0 && compare(x, b) <= 0 : compare(b, x) <= 0 && compare(x, a) <= 0;

/** A rate of 0–4 % with 4 to 6 fraction digits. */
function randomRate(r: Prng): string {
  const places = r.int(4, 6);
  return decimalText(r.int(0, 4 * 10 ** (places - 2)), places);
}

function randomPath(r: Prng): { path: RatePath; legacy: string | null; maxStep: string } {
  const band = r.pick(policy.bands[r.pick(RISK_CLASSES)]);
  const target = targetRate(r.pick(RISK_CLASSES), band, policy);
  const legacy = r.int(0, 9) === 0 ? null : randomRate(r);
  const maxStep = decimalText(r.int(5, 50), 4);
  // Now and then a 29 February switch-over, whose anniversaries fall on 28 February.
  const start =
    r.int(0, 9) === 0
      ? `20${r.pick(['24', '28', '32'])}-02-29`
      : `20${r.int(20, 40)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
  // A horizon from the moves needed up to three years past them.
  const moves = ratePath(legacy, target, maxStep, start).moves;
  return { path: ratePath(legacy, target, maxStep, start, Math.max(moves, 1) + r.int(0, 3)), legacy, maxStep };
}

/**
 * The invariants of every path: bounded steps, each toward the target and never past it, ending
 * on it exactly from the step `moves` says. Returns the broken ones (one expect per case keeps
 * thousands of cases fast).
 */
function pathViolations(path: RatePath, maxStep: string): string[] {
  const broken: string[] = [];
  const step = parseDecimal(maxStep);
  const target = parseDecimal(path.target);
  let previous = parseDecimal(path.startRate ?? path.target);
  path.steps.forEach((s, k) => {
    const rate = parseDecimal(s.rate);
    const at = `step ${k} of ${JSON.stringify({ start: path.startRate, target: path.target, maxStep })}`;
    if (compare(parseDecimal(s.fromRate), previous) !== 0) broken.push(`${at}: fromRate is not the previous rate`);
    if (compare(abs(sub(rate, previous)), step) > 0) broken.push(`${at}: moved more than max_step`);
    if (!between(rate, previous, target)) broken.push(`${at}: moved away from or past the target`);
    if (s.atTarget !== (compare(rate, target) === 0)) broken.push(`${at}: atTarget is wrong`);
    if (s.atTarget !== k >= path.moves - 1) broken.push(`${at}: disagrees with moves ${path.moves}`);
    if (compare(parseDecimal(s.change), sub(rate, previous)) !== 0) broken.push(`${at}: change is wrong`);
    if (rateInForce(path, s.effective) !== s.rate) broken.push(`${at}: rateInForce disagrees`);
    previous = rate;
  });
  if (path.steps.at(-1)?.rate !== path.target) broken.push(`${path.target}: does not end on the target`);
  if (path.steps[Math.max(path.moves - 1, 0)]?.effective !== path.reachesTargetOn) broken.push('reachesTargetOn is wrong');
  return broken;
}

describe('rate paths (seeded)', () => {
  it.each([1, 2, 3])('seed %i: never more than max_step a year, ends on the target, never passes it', (seed) => {
    const r = prng(seed);
    const broken: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const { path, legacy, maxStep } = randomPath(r);
      broken.push(...pathViolations(path, maxStep));
      if (legacy === null && path.steps[0]!.rate !== path.target) broken.push(`case ${i}: no legacy rate, not at target`);
    }
    expect(broken).toEqual([]);
  });

  it.each([4, 5])('seed %i: a re-banding mid-path moves from the rate in force by at most max_step', (seed) => {
    const r = prng(seed);
    const broken: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const { path, maxStep } = randomPath(r);
      // Re-banded on the k-th anniversary (possibly beyond the listed steps): until then the
      // rate of anniversary k − 1 is in force.
      const k = r.int(1, 6);
      const effective = anniversary(path.start, k);
      const current = rateInForce(path, anniversary(path.start, k - 1))!;
      const newTarget = targetRate(r.pick(RISK_CLASSES.slice(2)), r.pick(['0.5', '0.8', '1.0', '1.2', '1.5']), policy);
      const next = rebandPath(current, newTarget, maxStep, effective);
      if (next.steps[0]!.fromRate !== current) broken.push(`case ${i}: did not start from the rate in force`);
      broken.push(...pathViolations(next, maxStep));
    }
    expect(broken).toEqual([]);
  });
});

describe('floating bands (seeded)', () => {
  it('always picks a band of the employer\'s class', () => {
    const r = prng(6);
    for (let i = 0; i < CASES; i++) {
      const riskClass = r.pick(RISK_CLASSES);
      const months = Array.from({ length: r.int(0, 24) }, (_, m) => `${2023 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`);
      const choice = chooseBand(
        {
          riskClass,
          assessedYear: 2024,
          contributionPeriods: months,
          contributionsPaidFen: r.big(0n, 10_000_000n) * BigInt(r.int(0, 1)),
          benefitsPaidFen: r.big(0n, 40_000_000n),
          injuryDeterminationDates: r.int(0, 1) ? ['2024-06-30'] : [],
        },
        policy,
      );
      expect(policy.bands[riskClass]).toContain(choice.band);
    }
  });
});

describe('benefit paths (seeded)', () => {
  it.each([7, 8])('seed %i: never decrease, never pass the standard from below, end on it when raised', (seed) => {
    const r = prng(seed);
    for (let i = 0; i < CASES; i++) {
      const legacy = r.big(0n, 2_000_000n);
      const standard = r.int(0, 3) === 0 ? legacy + r.big(0n, 40n) : r.big(0n, 2_000_000n);
      const steps = r.int(1, 12);
      const s = benefitTransition({ benefitKey: `b${i}`, kind: 'nursing_care', legacyFen: legacy, standardFen: standard }, steps, '2025-01-01');
      let previous = legacy;
      for (const rec of s.records) {
        expect(rec.previousFen).toBe(previous);
        expect(rec.amountFen).toBeGreaterThanOrEqual(previous);
        expect(rec.amountFen <= (standard > legacy ? standard : legacy)).toBe(true);
        previous = rec.amountFen;
      }
      if (standard > legacy) {
        expect(s.records).toHaveLength(steps);
        expect(previous).toBe(standard);
      } else {
        expect(s.records.map((x) => x.amountFen)).toEqual([legacy]);
      }
    }
  });
});

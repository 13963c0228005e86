/**
 * An employer's yearly path from its legacy rate to its target rate (transition-rules.md, "Rate
 * transition"): at the switch-over and on each anniversary the rate moves toward the target by at
 * most max_step; once within max_step it lands on the target. All rates exact decimal strings.
 */
import { add, compare, div, floor, isInteger, mul, parseDecimal, ratio, sub, type Ratio } from '../decimal';
import { anniversary, checkIsoDate } from './dates';
import { absRatio, formatRate, parseNonNegative } from './rate-text';
import type { RiskClass } from '../../../mappings/province/enumerations';
import type { RatePolicy } from './rate-policy';

export type RateDirection = 'up' | 'down' | 'stay';

/** One yearly step, dated, with the rates it moved between. */
export interface RateStep {
  /** 0 at the path's start (switch-over or re-banding), k on its k-th anniversary */
  readonly step: number;
  readonly effective: string;
  /** the rate in force just before this step */
  readonly fromRate: string;
  readonly rate: string;
  /** rate − fromRate, signed */
  readonly change: string;
  readonly atTarget: boolean;
}

export interface RatePath {
  /** the rate the path starts from (legacy or current); null: none, the path starts at the target */
  readonly startRate: string | null;
  readonly target: string;
  readonly maxStep: string;
  /** date of step 0 */
  readonly start: string;
  readonly direction: RateDirection;
  /** how many steps change the rate: the years the transition takes */
  readonly moves: number;
  /** the date of the first step at the target */
  readonly reachesTargetOn: string;
  /** steps 0 … years − 1; fewer than `moves` when the horizon ends before the target */
  readonly steps: readonly RateStep[];
}

/** Target rate = base rate of the class × band, exact. */
export function targetRate(riskClass: RiskClass, band: string, policy: RatePolicy): string {
  return formatRate(mul(parseDecimal(policy.base_rates[riskClass]), parseNonNegative(band, 'band')));
}

/** ⌈a⌉ for a ≥ 0. */
const ceilNonNegative = (a: Ratio): number => Number(isInteger(a) ? floor(a) : floor(a) + 1n);

/**
 * The rate after `n` steps from `start`: each step moves toward the target by max_step and the
 * step that would reach or pass it lands on it, so after n steps the rate has moved
 * min(n × max_step, |target − start|) — one formula for the path and for any date on it.
 */
function rateAfterSteps(start: Ratio, target: Ratio, maxStep: Ratio, n: number): Ratio {
  const gap = sub(target, start);
  const travelled = mul(maxStep, ratio(BigInt(n)));
  if (compare(travelled, absRatio(gap)) >= 0) return target;
  return gap.num > 0n ? add(start, travelled) : sub(start, travelled);
}

function walk(start: Ratio | null, targetText: string, maxStepText: string, startDate: string, years?: number): RatePath {
  checkIsoDate(startDate);
  const target = parseNonNegative(targetText, 'target rate');
  const maxStep = parseNonNegative(maxStepText, 'max_step');
  if (maxStep.num === 0n) throw new RangeError('max_step must be greater than 0');
  const gap = start === null ? ratio(0n) : sub(target, start);
  const moves = ceilNonNegative(div(absRatio(gap), maxStep));
  const horizon = years ?? Math.max(moves, 1);
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`years must be a positive integer: ${horizon}`);

  const from = start ?? target;
  const steps: RateStep[] = [];
  for (let k = 0; k < horizon; k++) {
    const current = rateAfterSteps(from, target, maxStep, k);
    const next = rateAfterSteps(from, target, maxStep, k + 1);
    steps.push({
      step: k,
      effective: anniversary(startDate, k),
      fromRate: formatRate(current),
      rate: formatRate(next),
      change: formatRate(sub(next, current)),
      atTarget: compare(next, target) === 0,
    });
  }
  return {
    startRate: start === null ? null : formatRate(start),
    target: formatRate(target),
    maxStep: maxStepText,
    start: startDate,
    direction: gap.num > 0n ? 'up' : gap.num < 0n ? 'down' : 'stay',
    moves,
    reachesTargetOn: anniversary(startDate, Math.max(moves - 1, 0)),
    steps,
  };
}

/**
 * The path from the legacy rate (the rate of the employer's latest contribution period before
 * the switch-over) to the target. Without a legacy rate the employer starts at its target.
 * `years` is the horizon listed (default: until the target is reached).
 */
export function ratePath(
  legacyRate: string | null,
  target: string,
  maxStep: string,
  switchOver: string,
  years?: number,
): RatePath {
  return walk(legacyRate === null ? null : parseNonNegative(legacyRate, 'legacy rate'), target, maxStep, switchOver, years);
}

/**
 * A re-banding or a new policy version: a new path toward `newTarget` that starts from the rate
 * in force (see `rateInForce`), so the first step on `effective` moves by at most max_step — it
 * never jumps to the new target.
 */
export function rebandPath(
  currentRate: string,
  newTarget: string,
  maxStep: string,
  effective: string,
  years?: number,
): RatePath {
  return walk(parseNonNegative(currentRate, 'current rate'), newTarget, maxStep, effective, years);
}

/** What fixes a path for any date: enough to continue it after it was stored. */
export type PathAnchor = Pick<RatePath, 'startRate' | 'target' | 'maxStep' | 'start'>;

/**
 * The rate a path puts in force on `date`: the start rate before step 0, otherwise the rate of
 * its last step on or before the date — also beyond the steps listed, where it keeps moving
 * by the same rule until it sits on its target.
 */
export function rateInForce(path: PathAnchor, date: string): string | null {
  checkIsoDate(date);
  if (date < path.start) return path.startRate;
  if (path.startRate === null) return path.target;
  let k = Number(date.slice(0, 4)) - Number(path.start.slice(0, 4));
  if (anniversary(path.start, k) > date) k--;
  const rate = rateAfterSteps(parseDecimal(path.startRate), parseDecimal(path.target), parseDecimal(path.maxStep), k + 1);
  return formatRate(rate);
}

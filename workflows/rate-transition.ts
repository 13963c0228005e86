/**
 * rateTransition: the rate and benefit transition of every city (or of those asked for) under one
 * provincial rate policy file: the policy version is recorded, then each city's run is computed
 * and stored by its own activity, so a retry redoes one city only. Every activity is idempotent:
 * the same inputs find the run already stored and change nothing.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RatePolicyInput, RunOutcome } from '../activities/transition';

export interface RateTransitionInput extends RatePolicyInput {
  /** division codes; default every city with employers or cases */
  cities?: string[];
}

export interface RateTransitionResult {
  policyVersion: string;
  effectiveFrom: string;
  runs: RunOutcome[];
  /** cities with nothing to plan: no employers and no monthly benefits */
  empty: string[];
}

const NON_RETRYABLE = ['RatePolicyError', 'InvalidRatePolicy', 'RatePolicyVersionConflict', 'RangeError'];

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE },
});

export async function rateTransition(input: RateTransitionInput): Promise<RateTransitionResult> {
  const { policyText, fileName, rebandOn } = input;
  const prepared = await acts.prepareRateTransition({ policyText, fileName, rebandOn, cities: input.cities });
  const runs: RunOutcome[] = [];
  const empty: string[] = [];
  for (const cityCode of prepared.cities) {
    const outcome = await acts.computeCityRateTransition({ policyText, fileName, rebandOn, cityCode });
    if (outcome) runs.push(outcome);
    else empty.push(cityCode);
  }
  return { policyVersion: prepared.policyVersion, effectiveFrom: prepared.effectiveFrom, runs, empty };
}

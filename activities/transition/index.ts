/**
 * The activities of the rate and benefit transition: record the policy version and list the
 * cities, then compute and store one city's run (idempotent: the same inputs find the run stored).
 */
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import { computeCityTransition } from '../../src/transition/compute';
import { parseRatePolicyText, RatePolicyError, recordRatePolicyVersion, runEffectiveDate, type RatePolicyFile } from '../../src/transition/policy-file';
import { transitionCities } from '../../src/transition/read-inputs';
import type { RunOutcome } from '../../src/transition/store-run';
import type { ActivityDeps } from '../deps';

export type { RunOutcome };

/** The policy travels as its text, so any worker computes from exactly the file the user gave. */
export interface RatePolicyInput {
  policyText: string;
  fileName: string;
  /** a re-banding date (default: the policy's effective date) */
  rebandOn?: string;
}

export interface PreparedTransition {
  policyVersion: string;
  effectiveFrom: string;
  cities: string[];
}

/** A bad policy file or date will not get better by retrying. */
function policyInput(input: RatePolicyInput): { pf: RatePolicyFile; effective: string } {
  try {
    const pf = parseRatePolicyText(input.policyText, input.fileName);
    return { pf, effective: runEffectiveDate(pf, input.rebandOn) };
  } catch (err) {
    if (err instanceof RatePolicyError || err instanceof RangeError) throw ApplicationFailure.nonRetryable(err.message, err.name);
    throw err;
  }
}

async function recordVersion(deps: ActivityDeps, pf: RatePolicyFile) {
  try {
    return await recordRatePolicyVersion(deps.db, pf);
  } catch (err) {
    if (err instanceof RatePolicyError) throw ApplicationFailure.nonRetryable(err.message, err.code);
    throw err;
  }
}

export function createTransitionActivities(deps: ActivityDeps) {
  return {
    async prepareRateTransition(input: RatePolicyInput & { cities?: string[] }): Promise<PreparedTransition> {
      const { pf, effective } = policyInput(input);
      await recordVersion(deps, pf);
      return { policyVersion: pf.policy.version, effectiveFrom: effective, cities: await transitionCities(deps.db, input.cities) };
    },

    async computeCityRateTransition(input: RatePolicyInput & { cityCode: string }): Promise<RunOutcome | null> {
      const { pf } = policyInput(input);
      const stored = await recordVersion(deps, pf);
      const outcome = await computeCityTransition(deps.db, pf, stored, input.cityCode, { rebandOn: input.rebandOn, onPage: (n) => heartbeat(n) });
      deps.log.info({ cityCode: input.cityCode, runId: outcome?.runId, created: outcome?.created }, 'rate transition computed');
      return outcome;
    },
  };
}

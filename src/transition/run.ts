/**
 * Runs the rateTransition workflow for a policy file and waits for its runs: how the CLI and the
 * demo compute (and, for the same inputs, find) each city's transition.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TASK_QUEUES } from '../config';
import type { Runtime } from '../runtime';
import { rateTransition, type RateTransitionResult } from '../../workflows/rate-transition';
import { DEFAULT_RATE_POLICY, latestStoredPolicy, parseRatePolicyText, runEffectiveDate } from './policy-file';

export interface TransitionRequest {
  /** the provincial rate policy file; default the stored version that took effect last, else the sample */
  policyFile?: string;
  /** a re-banding date */
  rebandOn?: string;
  /** division codes; default every city */
  cities?: string[];
}

async function policySource(rt: Runtime, file?: string): Promise<{ policyText: string; fileName: string }> {
  const stored = file === undefined ? await latestStoredPolicy(rt.db) : null;
  if (stored) return { policyText: stored.text, fileName: stored.fileName };
  const chosen = file ?? DEFAULT_RATE_POLICY;
  return { policyText: fs.readFileSync(chosen, 'utf8'), fileName: path.basename(chosen) };
}

/** Computes (or finds) every city's run for the request; the policy is checked here first, so a bad file fails before any workflow starts. */
export async function runRateTransition(rt: Runtime, req: TransitionRequest): Promise<RateTransitionResult> {
  const { policyText, fileName } = await policySource(rt, req.policyFile);
  const pf = parseRatePolicyText(policyText, fileName);
  const effective = runEffectiveDate(pf, req.rebandOn);
  const cities = req.cities?.length ? [...new Set(req.cities)].sort() : undefined;
  // one workflow per policy content, date and city set: a second request for the same joins it
  const scope = crypto.createHash('sha256').update(`${pf.sha256}/${(cities ?? ['all']).join(',')}`).digest('hex').slice(0, 16);
  const handle = await rt.client.workflow.start(rateTransition, {
    workflowId: `rate-transition/${pf.policy.version}/${effective}/${scope}`,
    taskQueue: TASK_QUEUES.main,
    args: [{ policyText, fileName, rebandOn: req.rebandOn, cities }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return handle.result();
}

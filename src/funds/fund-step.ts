/**
 * The fund step as the CLI and the demo run it: compute and store the results of a policy
 * (idempotent), start the plan workflows, and read back what to show.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/knex';
import { cityFlows, type FundReason, type SourcedFlow } from '../domain/funds';
import { readFlowRecords } from './city-figures-store';
import { computeCoverage, readCoverage, type StoredRun } from './coverage';
import { startRemittancePlans, withdrawOlderPlans } from './plan-workflows';
import { computeRemittancePlans, readPlans, type PlanOutcome, type StoredPlan } from './plans';
import type { PolicyFile } from './policy-file';

export interface PlanStepResult {
  policyVersion: string;
  outcomes: PlanOutcome[];
  plans: StoredPlan[];
  reasons: FundReason[];
}

/**
 * Computes the plans of a unified policy, starts a workflow for each (unless `start` is false)
 * and withdraws the unapproved versions a new one replaces.
 */
export async function runPlanStep(db: Db, client: Client | null, pf: PolicyFile, opts: { cities?: readonly string[]; taskQueue?: string } = {}): Promise<PlanStepResult> {
  const computation = await computeRemittancePlans(db, pf, { cities: opts.cities });
  if (client) {
    await startRemittancePlans(client, computation.outcomes.map((o) => o.planId), opts.taskQueue);
    for (const o of computation.outcomes.filter((x) => x.created)) await withdrawOlderPlans(client, db, o.cityCode, o.planVersion, o.planId);
  }
  const plans = await readPlans(db, { planIds: computation.outcomes.map((o) => o.planId) });
  return { policyVersion: computation.policy.version, outcomes: computation.outcomes, plans, reasons: computation.reasons };
}

export interface CoverageStepResult {
  policyVersion: string;
  model: 'adjustment' | 'unified';
  runId?: string;
  created: boolean;
  run?: StoredRun;
  /** under the unified model: the yearly flows, which all run through the province */
  flows?: SourcedFlow[];
  reasons: FundReason[];
}

/** Adjustment policy: runs and stores the coverage. Unified policy: the yearly flows from the switch-over. */
export async function runCoverageStep(db: Db, pf: PolicyFile): Promise<CoverageStepResult> {
  const { policy } = pf;
  if (policy.model === 'unified') {
    const flows = cityFlows(await readFlowRecords(db), Number(policy.switch_over.slice(0, 4)));
    return { policyVersion: policy.version, model: 'unified', created: false, flows, reasons: [] };
  }
  const computation = await computeCoverage(db, pf);
  const run = computation.runId ? await readCoverage(db, computation.runId) : undefined;
  return { policyVersion: policy.version, model: 'adjustment', ...computation, ...(run && { run }) };
}

/**
 * Remittance plans (上解计划, unified model) computed from the loaded city fund positions and
 * stored as versions: the same inputs (policy content and the city's bucket amounts) find the
 * plan already stored and change nothing; other inputs make the city's next plan version. A
 * stored plan's figures are never edited (the table's trigger refuses it).
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { cityPositions, planCityRemittance, type FundReason, type RemittancePlan, type SourcedPosition } from '../domain/funds';
import { canonicalJson } from '../mapping/load-mapping';
import { readPositionRecords } from './city-figures-store';
import { PolicyFileError, recordPolicyVersion, type PolicyFile, type StoredPolicy } from './policy-file';
import { fromRow, jsonSafe } from './wire';

export type PlanStatus = 'computed' | 'awaiting_approval' | 'approved' | 'published';

export interface PlanOutcome {
  planId: string;
  cityCode: string;
  planVersion: number;
  /** false: these inputs were computed before, and that plan stands unchanged */
  created: boolean;
}

export interface PlanComputation {
  policy: StoredPolicy;
  outcomes: PlanOutcome[];
  /** cities whose figures could not make a plan, and why */
  reasons: FundReason[];
}

export interface StoredInstallment {
  planId: string;
  number: number;
  cityCode: string;
  planVersion: number;
  policyVersion: string;
  bucketId: string;
  bucketInstallmentNumber: number;
  dueDate: string;
  amountFen: bigint;
  bucketAmountFen: bigint;
  share: string;
  bucketTotalFen: bigint;
  bucketInstallments: number;
  computedAt: string;
}

export interface StoredPlan {
  planId: string;
  cityCode: string;
  planVersion: number;
  policyVersion: string;
  basis: string;
  surplusFen: bigint;
  ofWhichReserveFen: bigint;
  ofWhichCityAdjustmentFundFen: bigint;
  remittedFen: bigint;
  retainedFen: bigint;
  status: PlanStatus;
  approvedBy: string | null;
  approverRole: string | null;
  approvedAt: string | null;
  approvalNote: string | null;
  publishedAt: string | null;
  computedAt: string;
  installments: StoredInstallment[];
}

const sha256 = (value: unknown): string => crypto.createHash('sha256').update(canonicalJson(jsonSafe(value))).digest('hex');

/** Finance receipts quote this id: city, policy version and the city's plan version. */
export const storedPlanId = (cityCode: string, policyVersion: string, planVersion: number): string => `remit:${cityCode}:${policyVersion}:${planVersion}`;

/** Computes and stores the plans of every city with a loaded fund position (or of `cities`). */
export async function computeRemittancePlans(db: Db, pf: PolicyFile, opts: { cities?: readonly string[] } = {}): Promise<PlanComputation> {
  const { policy } = pf;
  if (policy.model !== 'unified') throw new PolicyFileError(pf.fileName, [`remittance plans need a unified (统收统支) policy, not ${policy.model}`]);
  const stored = await recordPolicyVersion(db, pf);
  const { positions, reasons } = cityPositions(await readPositionRecords(db, opts.cities), policy.buckets);
  const outcomes: PlanOutcome[] = [];
  for (const position of positions) {
    const result = planCityRemittance(position, policy);
    if (!result.ok) reasons.push(...result.reasons);
    else outcomes.push(await storePlan(db, stored, position, result.value));
  }
  return { policy: stored, outcomes, reasons };
}

async function storePlan(db: Db, policy: StoredPolicy, position: SourcedPosition, plan: RemittancePlan): Promise<PlanOutcome> {
  const { cityCode } = position;
  // what the figures depend on; the source records are kept with them but are not part of the identity
  const identity = {
    policyVersion: policy.version,
    policySha256: policy.sha256,
    cityCode,
    basis: position.basis,
    buckets: [...position.buckets].sort((a, b) => (a.bucketId < b.bucketId ? -1 : 1)),
    reserveFen: position.reserveFen,
    cityAdjustmentFundFen: position.cityAdjustmentFundFen,
  };
  const inputsSha256 = sha256(identity);
  return db.transaction(async (trx: Knex.Transaction) => {
    // one computation per city at a time, so two runs cannot both take the next version
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`remittance-plan/${cityCode}`]);
    const existing = (await trx('province.remittance_plan').where({ city_code: cityCode, inputs_sha256: inputsSha256 }).first('plan_id', 'plan_version')) as
      | { plan_id: string; plan_version: number }
      | undefined;
    if (existing) return { planId: existing.plan_id, cityCode, planVersion: existing.plan_version, created: false };

    const last = (await trx('province.remittance_plan').where({ city_code: cityCode }).max('plan_version as v').first()) as { v: number | null } | undefined;
    const planVersion = (last?.v ?? 0) + 1;
    const planId = storedPlanId(cityCode, policy.version, planVersion);
    const [row] = (await trx('province.remittance_plan')
      .insert({
        plan_id: planId,
        city_code: cityCode,
        plan_version: planVersion,
        policy_version_id: policy.id,
        policy_version: policy.version,
        inputs_sha256: inputsSha256,
        inputs: JSON.stringify(jsonSafe({ ...identity, sources: position.sources })),
        basis: position.basis,
        surplus_fen: plan.surplusFen.toString(),
        of_which_reserve_fen: plan.ofWhichReserveFen.toString(),
        of_which_city_adjustment_fund_fen: plan.ofWhichCityAdjustmentFundFen.toString(),
        remitted_fen: plan.remittedFen.toString(),
        retained_fen: plan.retainedFen.toString(),
        buckets: JSON.stringify(jsonSafe(plan.buckets.map(({ installments: _i, ...bucket }) => bucket))),
      })
      .returning('computed_at')) as { computed_at: Date }[];
    const bucketOf = new Map(plan.buckets.map((b) => [b.bucketId, b]));
    const installments = plan.installments.map((inst) => {
      const bucket = bucketOf.get(inst.bucketId)!;
      return {
        plan_id: planId,
        number: inst.number,
        city_code: cityCode,
        plan_version: planVersion,
        policy_version: policy.version,
        bucket_id: inst.bucketId,
        bucket_installment_number: inst.bucketInstallmentNumber,
        due_date: inst.dueDate,
        amount_fen: inst.amountFen.toString(),
        bucket_amount_fen: bucket.amountFen.toString(),
        share: bucket.share,
        bucket_total_fen: bucket.totalFen.toString(),
        bucket_installments: bucket.installmentCount,
        computed_at: row!.computed_at,
      };
    });
    for (let i = 0; i < installments.length; i += 1000) await trx('province.remittance_installment').insert(installments.slice(i, i + 1000));
    return { planId, cityCode, planVersion, created: true };
  });
}

/** The columns a StoredPlan reads (the inputs and bucket documents stay in the table for auditors). */
const PLAN_COLUMNS = [
  'plan_id', 'city_code', 'plan_version', 'policy_version', 'basis', 'surplus_fen', 'of_which_reserve_fen', 'of_which_city_adjustment_fund_fen',
  'remitted_fen', 'retained_fen', 'status', 'approved_by', 'approver_role', 'approved_at', 'approval_note', 'published_at', 'computed_at',
];

export interface PlanFilter {
  planIds?: readonly string[];
  cities?: readonly string[];
  /** the latest version of each city, and any plan approved for tracking */
  current?: boolean;
}

/** Stored plans with their installments, by city and plan version. */
export async function readPlans(db: Db, filter: PlanFilter = {}): Promise<StoredPlan[]> {
  const q = db('province.remittance_plan as p').orderBy([{ column: 'p.city_code' }, { column: 'p.plan_version' }]).select(PLAN_COLUMNS.map((c) => `p.${c}`));
  if (filter.planIds) q.whereIn('p.plan_id', filter.planIds);
  if (filter.cities?.length) q.whereIn('p.city_code', filter.cities);
  if (filter.current) {
    q.where((w) =>
      w.whereIn('p.status', ['approved', 'published']).orWhereRaw('p.plan_version = (SELECT max(plan_version) FROM province.remittance_plan l WHERE l.city_code = p.city_code)'),
    );
  }
  const plans = (await q) as Record<string, unknown>[];
  if (plans.length === 0) return [];
  const installments = (await db('province.remittance_installment')
    .whereIn('plan_id', plans.map((p) => p.plan_id as string))
    .orderBy([{ column: 'plan_id' }, { column: 'number' }])) as Record<string, unknown>[];
  const byPlan = new Map<string, StoredInstallment[]>();
  for (const r of installments) {
    const inst = fromRow<StoredInstallment>(r);
    byPlan.set(inst.planId, [...(byPlan.get(inst.planId) ?? []), inst]);
  }
  return plans.map((p) => ({ ...fromRow<Omit<StoredPlan, 'installments'>>(p), installments: byPlan.get(p.plan_id as string) ?? [] }));
}

/**
 * One city's transition computed from the provincial tables and stored as a run: employers are
 * read a page at a time and planned by the pure rules, every input is hashed on the way, and the
 * run is written only when no run of the city has those inputs already — the same inputs change
 * nothing; other inputs, a re-banding or a new policy version make the city's next run.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/knex';
import {
  finishCityTransition,
  periodMonthsBefore,
  periodOf,
  planBenefit,
  planEmployer,
  assessedYearOf,
  type BenefitPlan,
  type EmployerPlan,
  type TransitionContext,
  type TransitionReason,
} from '../domain/transition';
import { canonicalJson } from '../mapping/load-mapping';
import { runEffectiveDate, type RatePolicyFile, type StoredRatePolicy } from './policy-file';
import {
  readBasePaths,
  readBaseRun,
  readBaseSchedules,
  readBenefitsPaid,
  readContributions,
  readEmployerPage,
  readNewInjuries,
  readPaidBenefits,
  type EmployerRow,
  type PaidBenefit,
  type StoredContribution,
} from './read-inputs';
import { storeRun, toJson, type RunOutcome } from './store-run';

export interface ComputeOptions {
  /** a re-banding: step 0 of the new paths (default: the policy's effective date) */
  rebandOn?: string;
  /** employers read and planned at a time */
  pageSize?: number;
  /** called after each page, e.g. to heartbeat */
  onPage?: (employersDone: number) => void;
}

/** A benefit being paid is one paid in this many months before the switch-over. */
export const PAID_WITHIN_MONTHS = 3;

/** Canonical JSON (sorted keys, bigints as text): what the inputs hash reads. */
const jsonText = (value: unknown): string => canonicalJson(JSON.parse(toJson(value)));

export interface PlannedEmployer {
  row: EmployerRow;
  plan: EmployerPlan<StoredContribution>;
}

export interface PlannedBenefit {
  paid: PaidBenefit;
  plan: BenefitPlan;
}

export async function computeCityTransition(
  db: Db,
  pf: RatePolicyFile,
  stored: StoredRatePolicy,
  cityCode: string,
  opts: ComputeOptions = {},
): Promise<RunOutcome | null> {
  const effective = runEffectiveDate(pf, opts.rebandOn);
  const base = await readBaseRun(db, cityCode, effective);
  const ctx: TransitionContext = { policy: pf.policy, effective, switchOver: base?.switchOver ?? effective };
  const hash = crypto.createHash('sha256');
  const header = { policyVersion: stored.version, policySha256: stored.sha256, cityCode, effective, switchOver: ctx.switchOver, baseRunId: base?.runId ?? null };
  hash.update(jsonText(header));

  const reasons: TransitionReason[] = [];
  const employers: PlannedEmployer[] = [];
  const assessedYear = assessedYearOf(effective);
  const pageSize = opts.pageSize ?? 1000;
  let contributionRows = 0;
  let employersRead = 0;
  for (let after: string | null = null; ; ) {
    const page = await readEmployerPage(db, cityCode, after, pageSize);
    if (page.length === 0) break;
    after = page[page.length - 1]!.employerKey;
    employersRead += page.length;
    const ids = page.map((e) => e.id);
    const [contributions, benefitsPaid, injuries, basePaths] = await Promise.all([
      readContributions(db, ids, periodOf(effective)),
      readBenefitsPaid(db, ids, assessedYear),
      readNewInjuries(db, ids, assessedYear),
      base ? readBasePaths(db, base.runId, ids) : Promise.resolve(new Map()),
    ]);
    for (const row of page) {
      const input = {
        employerKey: row.employerKey,
        riskClass: row.riskClass,
        contributions: contributions.get(row.id) ?? [],
        benefitsPaidFen: benefitsPaid.get(row.id) ?? 0n,
        injuryDeterminationDates: injuries.get(row.id) ?? [],
        basePath: basePaths.get(row.id) ?? null,
      };
      contributionRows += input.contributions.length;
      // what the plan depends on, without ids and provenance
      hash.update(
        jsonText({
          ...input,
          contributions: input.contributions.map((c) => [c.period, c.dueFen, c.paidFen, c.payrollFen, c.rate]),
          basePath: null,
        }),
      );
      const plan = planEmployer(input, ctx);
      if (plan.ok) employers.push({ row, plan: plan.value });
      else reasons.push(...plan.reasons.map((r) => ({ ...r, subject: row.employerKey })));
    }
    opts.onPage?.(employersRead);
  }

  const switchMonth = periodOf(ctx.switchOver);
  const paid = await readPaidBenefits(db, cityCode, periodMonthsBefore(switchMonth, PAID_WITHIN_MONTHS), switchMonth, effective);
  const schedules = base ? await readBaseSchedules(db, base.runId) : new Map();
  const benefits: PlannedBenefit[] = [];
  for (const p of paid) {
    const input = { benefitKey: p.benefitKey, kind: p.kind, paidFen: p.amountFen, disabilityGrade: p.disabilityGrade, nursingLevel: p.nursingLevel, baseSchedule: schedules.get(p.benefitKey) ?? null };
    hash.update(jsonText({ ...input, period: p.period, baseSchedule: null }));
    const plan = planBenefit(input, ctx);
    if (plan.ok) benefits.push({ paid: p, plan: plan.value });
    else reasons.push(...plan.reasons.map((r) => ({ ...r, subject: p.benefitKey })));
  }
  if (employers.length === 0 && benefits.length === 0 && reasons.length === 0) return null;

  const transition = finishCityTransition(cityCode, employers.map((e) => e.plan), ctx);
  return storeRun(db, {
    policy: stored,
    cityCode,
    ctx,
    assessedYear,
    baseRunId: base?.runId ?? null,
    inputsSha256: hash.digest('hex'),
    inputs: { ...header, assessedYear, employersRead, contributionRows, benefitsRead: paid.length },
    employers,
    transition,
    benefits,
    reasons,
  });
}

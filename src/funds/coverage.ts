/**
 * The adjustment model (省级调剂金) over the loaded city figures, stored as runs: the openings
 * (reserves merged), every city-year flow with its basis, the fund's ledger per year and each
 * city-year's coverage. The same inputs find the run already stored; new figures (a new year's
 * final accounts, a corrected statement) or a new policy make a new run beside the old ones.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { cityFlows, cityPositions, runAdjustmentYears, type AdjustmentRun, type CityYearCoverage, type FundReason, type FundYear } from '../domain/funds';
import { canonicalJson } from '../mapping/load-mapping';
import { readFlowRecords, readPositionRecords } from './city-figures-store';
import { PolicyFileError, recordPolicyVersion, type PolicyFile } from './policy-file';
import { fen, fromRow, jsonSafe, toRow } from './wire';

export interface CoverageComputation {
  /** absent when the inputs could not be run */
  runId?: string;
  created: boolean;
  reasons: FundReason[];
}

export interface StoredCoverageRow extends CityYearCoverage {
  basis: string;
}

export interface StoredRun {
  runId: string;
  policyVersion: string;
  computedAt: string;
  openingFundFen: bigint;
  fund: FundYear[];
  rows: StoredCoverageRow[];
}

/** Runs the adjustment model on every loaded city and stores the run (once per set of inputs). */
export async function computeCoverage(db: Db, pf: PolicyFile): Promise<CoverageComputation> {
  const { policy } = pf;
  if (policy.model !== 'adjustment') throw new PolicyFileError(pf.fileName, [`deficit coverage needs an adjustment (省级调剂金) policy, not ${policy.model}`]);
  const stored = await recordPolicyVersion(db, pf);
  const { positions, reasons } = cityPositions(await readPositionRecords(db));
  if (reasons.length > 0) return { created: false, reasons };
  const flows = cityFlows(await readFlowRecords(db, positions.map((p) => p.cityCode)), Number(policy.switch_over.slice(0, 4)));
  const result = runAdjustmentYears({ policy, positions, flows });
  if (!result.ok) return { created: false, reasons: result.reasons };

  const identity = {
    policyVersion: stored.version,
    policySha256: stored.sha256,
    openings: positions.map(({ sources: _s, ...p }) => p),
    flows: flows.map(({ source: _s, ...f }) => f),
  };
  const inputs = { ...identity, sources: { positions: positions.map((p) => ({ cityCode: p.cityCode, records: p.sources })), flows: flows.map((f) => f.source) } };
  const inputsSha256 = crypto.createHash('sha256').update(canonicalJson(jsonSafe(identity))).digest('hex');
  const basisOf = new Map(flows.map((f) => [`${f.cityCode}/${f.year}`, f.basis]));
  return db.transaction(async (trx: Knex.Transaction) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`adjustment-run/${inputsSha256}`]);
    const existing = (await trx('province.adjustment_run').where({ inputs_sha256: inputsSha256 }).first('id')) as { id: string } | undefined;
    if (existing) return { runId: String(existing.id), created: false, reasons: [] };
    const run = result.value;
    const years = run.fund.map((y) => y.year);
    const [row] = (await trx('province.adjustment_run')
      .insert({
        policy_version_id: stored.id,
        policy_version: stored.version,
        inputs_sha256: inputsSha256,
        inputs: JSON.stringify(jsonSafe(inputs)),
        first_year: years[0] ?? null,
        last_year: years[years.length - 1] ?? null,
        opening_fund_fen: run.openingFundFen.toString(),
      })
      .returning('id')) as { id: string }[];
    const runId = String(row!.id);
    await insertRun(trx, runId, run, (city, year) => basisOf.get(`${city}/${year}`)!);
    return { runId, created: true, reasons: [] };
  });
}

async function insertRun(trx: Knex.Transaction, runId: string, run: AdjustmentRun, basisOf: (city: string, year: number) => string): Promise<void> {
  if (run.fund.length) await trx('province.adjustment_fund_year').insert(run.fund.map((y) => toRow({ runId, ...y })));
  const rows = run.rows.map((r) => toRow({ runId, basis: basisOf(r.cityCode, r.year), ...r }));
  for (let i = 0; i < rows.length; i += 1000) await trx('province.city_year_coverage').insert(rows.slice(i, i + 1000));
}

/** A stored run (the latest when no id is given), or undefined when there is none. */
export async function readCoverage(db: Db, runId?: string): Promise<StoredRun | undefined> {
  const q = db('province.adjustment_run');
  const run = (await (runId ? q.where({ id: runId }) : q.orderBy('id', 'desc')).first()) as Record<string, unknown> | undefined;
  if (!run) return undefined;
  const id = String(run.id);
  const ledger = (await db('province.adjustment_fund_year').where({ run_id: id }).orderBy('year')) as Record<string, unknown>[];
  const rows = (await db('province.city_year_coverage').where({ run_id: id }).orderBy([{ column: 'year' }, { column: 'city_code' }])) as Record<string, unknown>[];
  const withoutRun = <T>(row: Record<string, unknown>): T => {
    const { runId: _r, ...rest } = fromRow<T & { runId: unknown }>(row);
    return rest as T;
  };
  return {
    runId: id,
    policyVersion: run.policy_version as string,
    computedAt: (run.computed_at as Date).toISOString(),
    openingFundFen: fen(run.opening_fund_fen as string),
    fund: ledger.map((y) => withoutRun<FundYear>(y)),
    rows: rows.map((r) => withoutRun<StoredCoverageRow>(r)),
  };
}

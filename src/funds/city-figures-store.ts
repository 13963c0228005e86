/** The city fund records the pipeline loaded, read back as inputs of the fund rules. */
import type { Db } from '../db/knex';
import type { FlowRecord, FundBasis, PositionRecord } from '../domain/funds';
import { fen } from './wire';

export async function readPositionRecords(db: Db, cities?: readonly string[]): Promise<PositionRecord[]> {
  const q = db('province.city_fund_position').orderBy('natural_key');
  if (cities?.length) q.whereIn('city_code', cities);
  const rows = (await q.select('natural_key', 'city_code', 'bucket_id', 'year', 'basis', 'surplus_fen', 'reserve_fen', 'city_adjustment_fund_fen')) as {
    natural_key: string; city_code: string; bucket_id: string | null; year: number | null; basis: FundBasis; surplus_fen: string; reserve_fen: string; city_adjustment_fund_fen: string;
  }[];
  return rows.map((r) => ({
    naturalKey: r.natural_key,
    cityCode: r.city_code,
    bucketId: r.bucket_id,
    year: r.year,
    basis: r.basis,
    surplusFen: fen(r.surplus_fen),
    reserveFen: fen(r.reserve_fen),
    cityAdjustmentFundFen: fen(r.city_adjustment_fund_fen),
  }));
}

export async function readFlowRecords(db: Db, cities?: readonly string[]): Promise<FlowRecord[]> {
  const q = db('province.city_fund_year').orderBy('natural_key');
  if (cities?.length) q.whereIn('city_code', cities);
  const rows = (await q.select('natural_key', 'city_code', 'year', 'basis', 'contribution_income_fen', 'other_income_fen', 'expenditure_fen')) as {
    natural_key: string; city_code: string; year: number; basis: FundBasis; contribution_income_fen: string; other_income_fen: string; expenditure_fen: string;
  }[];
  return rows.map((r) => ({
    naturalKey: r.natural_key,
    cityCode: r.city_code,
    year: r.year,
    basis: r.basis,
    contributionIncomeFen: fen(r.contribution_income_fen),
    otherIncomeFen: fen(r.other_income_fen),
    expenditureFen: fen(r.expenditure_fen),
  }));
}

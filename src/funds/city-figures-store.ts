/** The city fund records the pipeline loaded, read back as inputs of the fund rules. */
import type { Db } from '../db/knex';
import type { FlowRecord, PositionRecord } from '../domain/funds';
import { fromRow } from './wire';

const POSITION_COLUMNS = ['natural_key', 'city_code', 'bucket_id', 'year', 'basis', 'surplus_fen', 'reserve_fen', 'city_adjustment_fund_fen'];
const FLOW_COLUMNS = ['natural_key', 'city_code', 'year', 'basis', 'contribution_income_fen', 'other_income_fen', 'expenditure_fen'];

async function readRecords<T>(db: Db, table: string, columns: readonly string[], cities?: readonly string[]): Promise<T[]> {
  const q = db(table).orderBy('natural_key').select(columns);
  if (cities?.length) q.whereIn('city_code', cities);
  return ((await q) as Record<string, unknown>[]).map((r) => fromRow<T>(r));
}

export const readPositionRecords = (db: Db, cities?: readonly string[]): Promise<PositionRecord[]> =>
  readRecords<PositionRecord>(db, 'province.city_fund_position', POSITION_COLUMNS, cities);

export const readFlowRecords = (db: Db, cities?: readonly string[]): Promise<FlowRecord[]> =>
  readRecords<FlowRecord>(db, 'province.city_fund_year', FLOW_COLUMNS, cities);

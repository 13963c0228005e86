/**
 * Writing agency records into their provincial table, latest wins: a record is upserted by the
 * agency's id, and an older copy arriving late (an earlier `updated_at` than the one stored)
 * never overwrites a newer one. Each row carries `agency_updated_at` and `inbound_id` (lineage).
 */
import type { Knex } from 'knex';
import type { StoredRecord } from './types';

export async function upsertLatest<R>(
  trx: Knex.Transaction,
  table: string,
  idColumn: string,
  records: readonly StoredRecord<R>[],
  toRow: (record: R) => Record<string, unknown> & { agency_updated_at: string | null },
): Promise<{ stale_ignored: number }> {
  let stale = 0;
  for (const { inboundId, record } of records) {
    const written = await trx(table)
      .insert({ ...toRow(record), inbound_id: inboundId, updated_at: trx.fn.now() })
      .onConflict(idColumn)
      .merge()
      .whereRaw(`${table}.agency_updated_at IS NULL OR excluded.agency_updated_at IS NULL OR excluded.agency_updated_at >= ${table}.agency_updated_at`)
      .returning('id');
    if (written.length === 0) stale++;
  }
  return { stale_ignored: stale };
}

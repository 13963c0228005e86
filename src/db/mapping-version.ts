/**
 * Recording the mapping version a run normalizes under: one row per city mapping, canonical
 * document and load date (null: each source its registration day), so a run with another
 * `--load-date` gets a version — and a normalization — of its own.
 */
import type { Knex } from 'knex';
import { canonicalJson, type LoadedMapping } from '../mapping/load-mapping';

export async function recordMappingVersion(db: Knex | Knex.Transaction, loaded: Pick<LoadedMapping, 'mapping' | 'name' | 'contentSha256'>, loadDate: string | null = null): Promise<number> {
  const [row] = await db('pipeline.mapping_version')
    .insert({ city_code: loaded.mapping.city.code, mapping_name: loaded.name, content_sha256: loaded.contentSha256, document: canonicalJson(loaded.mapping), load_date: loadDate })
    .onConflict(['city_code', 'mapping_name', 'content_sha256', 'load_date'])
    .merge(['mapping_name'])
    .returning('id');
  return row.id as number;
}

/**
 * The cross-city step (跨市比对), after every city has loaded: a person (resident ID) is one
 * provincial person however many cities insured them — the load already merged them by natural
 * key — so what remains is to list, for stewards, every person whose rows came from more than one
 * city, and the cities whose rows for that person conflicted with what was loaded. Rebuilt in one
 * transaction: a crash mid-way leaves the previous list, a re-run gives the same list.
 */
import type { ActivityDeps } from '../deps';

export interface CrossCityPersons {
  persons: number;
  conflictPersons: number;
}

/** Rows of the current version of each source file only: a corrected file replaces the old one. */
const REBUILD_SQL = `
INSERT INTO pipeline.cross_city_person (natural_key, city_codes, conflict_city_codes)
WITH current_file AS (
  SELECT DISTINCT ON (source_key) id, city_code FROM landing.source_file ORDER BY source_key, version DESC
), seen AS (
  SELECT l.natural_key, f.city_code, false AS conflict
    FROM pipeline.record_lineage l
    JOIN landing.stream s ON s.id = l.stream_id
    JOIN current_file f ON f.id = s.source_file_id
   WHERE l.entity = 'person'
  UNION
  SELECT o.natural_key, f.city_code, true
    FROM pipeline.row_outcome o
    JOIN landing.stream s ON s.id = o.stream_id
    JOIN current_file f ON f.id = s.source_file_id
   WHERE o.entity = 'person' AND o.outcome = 'rejected' AND 'duplicate.conflict' = ANY (o.codes) AND o.natural_key IS NOT NULL
)
SELECT natural_key,
       coalesce(array_agg(DISTINCT city_code ORDER BY city_code) FILTER (WHERE NOT conflict), '{}'),
       coalesce(array_agg(DISTINCT city_code ORDER BY city_code) FILTER (WHERE conflict), '{}')
  FROM seen
 GROUP BY natural_key
HAVING count(DISTINCT city_code) > 1`;

export function createCrossCityPersons({ db }: ActivityDeps) {
  return async function crossCityPersons(): Promise<CrossCityPersons> {
    return db.transaction(async (trx) => {
      // one rebuild at a time: a retried attempt waits for one still running to finish or die
      await trx.raw("SELECT pg_advisory_xact_lock(hashtext('cross-city-persons'))");
      await trx('pipeline.cross_city_person').del();
      await trx.raw(REBUILD_SQL);
      const { rows } = (await trx.raw(
        'SELECT count(*)::int AS persons, count(*) FILTER (WHERE cardinality(conflict_city_codes) > 0)::int AS conflicts FROM pipeline.cross_city_person',
      )) as { rows: { persons: number; conflicts: number }[] };
      return { persons: rows[0]!.persons, conflictPersons: rows[0]!.conflicts };
    });
  };
}

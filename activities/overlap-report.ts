/**
 * Overlapping insurance spells (normalization-rules.md, "Duplicates and conflicts"): the same person
 * (resident ID) is one provincial person with a spell per employer and start; spells that overlap
 * in time are allowed — a worker may have several employers, in one city or in several — but the
 * steward conflict report lists them. Part of the city migration report (the city's persons, with
 * the spells they have anywhere in the province).
 */
import type { Db } from '../src/db/knex';
import type { ActivityDeps } from './deps';

export interface OverlapSpell {
  spellId: string;
  cityCode: string;
  employer: string;
  employerKey: string;
  start: string;
  end: string | null;
}

export interface SpellOverlap {
  personId: string;
  /** masked resident ID (430102********123X): reports are read widely, IDs are personal data */
  idNumber: string;
  a: OverlapSpell;
  b: OverlapSpell;
  /** the overlap: first and last shared day; to null while both are open */
  from: string;
  to: string | null;
  crossCity: boolean;
}

export interface OverlapReport {
  /** overlapping pairs involving a spell of the city (or all, province-wide) */
  total: number;
  crossCity: number;
  persons: number;
  /** the first pairs, by person and start */
  sample: SpellOverlap[];
}

export const maskIdNumber = (id: string): string => (id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : '*'.repeat(id.length));

const OVERLAPS_SQL = `
  SELECT a.person_id, p.id_number,
         a.id AS a_id, a.city_code AS a_city, ea.name AS a_employer, ea.natural_key AS a_key, a.start_date::text AS a_start, a.end_date::text AS a_end,
         b.id AS b_id, b.city_code AS b_city, eb.name AS b_employer, eb.natural_key AS b_key, b.start_date::text AS b_start, b.end_date::text AS b_end,
         greatest(a.start_date, b.start_date)::text AS overlap_from,
         nullif(least(coalesce(a.end_date, 'infinity'::date), coalesce(b.end_date, 'infinity'::date)), 'infinity'::date)::text AS overlap_to,
         count(*) OVER () AS total,
         count(*) FILTER (WHERE a.city_code <> b.city_code) OVER () AS cross_city
    FROM province.insurance_spell a
    JOIN province.insurance_spell b ON b.person_id = a.person_id AND a.id < b.id
     AND a.start_date <= coalesce(b.end_date, 'infinity'::date) AND b.start_date <= coalesce(a.end_date, 'infinity'::date)
    JOIN province.person p ON p.id = a.person_id
    JOIN province.employer ea ON ea.id = a.employer_id
    JOIN province.employer eb ON eb.id = b.employer_id
   WHERE (:city::text IS NULL OR a.city_code = :city OR b.city_code = :city)`;

export async function findOverlappingSpells(db: Db, opts: { cityCode?: string; limit?: number } = {}): Promise<OverlapReport> {
  const sql = OVERLAPS_SQL;
  const { rows } = (await db.raw(`${sql} ORDER BY p.id_number, a.start_date, b.start_date LIMIT :limit`, { city: opts.cityCode ?? null, limit: opts.limit ?? 50 })) as {
    rows: Record<string, string | null>[];
  };
  const persons = (await db.raw(`SELECT count(DISTINCT person_id)::int AS n FROM (${sql}) o`, { city: opts.cityCode ?? null })) as { rows: { n: number }[] };
  const spell = (r: Record<string, string | null>, s: 'a' | 'b'): OverlapSpell => ({
    spellId: String(r[`${s}_id`]),
    cityCode: r[`${s}_city`]!,
    employer: r[`${s}_employer`]!,
    employerKey: r[`${s}_key`]!,
    start: r[`${s}_start`]!,
    end: r[`${s}_end`] ?? null,
  });
  return {
    total: Number(rows[0]?.total ?? 0),
    crossCity: Number(rows[0]?.cross_city ?? 0),
    persons: persons.rows[0]?.n ?? 0,
    sample: rows.map((r) => ({
      personId: String(r.person_id),
      idNumber: maskIdNumber(r.id_number!),
      a: spell(r, 'a'),
      b: spell(r, 'b'),
      from: r.overlap_from!,
      to: r.overlap_to ?? null,
      crossCity: r.a_city !== r.b_city,
    })),
  };
}

export function createOverlapReport({ db }: ActivityDeps) {
  return async function overlapReport(input: { cityCode?: string; limit?: number }): Promise<OverlapReport> {
    return findOverlappingSpells(db, input);
  };
}

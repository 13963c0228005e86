/**
 * Where the feeds read provincial injury cases (工伤认定, `province.injury_case` with its person and
 * employer): recognised cases for the unions, monthly statistics for work safety and the unions,
 * and the accident cross-check. Every query on those tables is here, so a change to their shape
 * is one edit.
 */
import type { Db } from '../../db/knex';

/** 认定工伤 and 视同工伤: the results that make a recognised work injury. */
export const RECOGNISED_RESULTS = ['recognized', 'deemed'] as const;

export interface RecognisedCase {
  caseKey: string;
  caseNo: string;
  cityCode: string;
  accidentDate: string;
  determinationDate: string;
  result: string;
  accidentType: string;
  personName: string;
  idNumber: string;
  employerName: string;
  employerKey: string;
  industryCode: string | null;
  riskClass: number | null;
}

/** Whether the provincial injury cases are there yet (a fresh province has none loaded). */
export async function hasInjuryCases(db: Db): Promise<boolean> {
  const row = await db.raw(`SELECT to_regclass('province.injury_case') IS NOT NULL AS present`);
  return (row.rows[0] as { present: boolean }).present;
}

/** Recognised cases, optionally only those determined within [from, to]. */
export async function recognisedCases(db: Db, range?: { from: string; to: string }): Promise<RecognisedCase[]> {
  if (!(await hasInjuryCases(db))) return [];
  const q = db('province.injury_case as c')
    .join('province.person as p', 'p.id', 'c.person_id')
    .join('province.employer as e', 'e.id', 'c.employer_id')
    .whereIn('c.result', [...RECOGNISED_RESULTS])
    .orderBy('c.natural_key')
    .select(
      'c.natural_key as caseKey',
      'c.case_no as caseNo',
      'c.city_code as cityCode',
      db.raw(`to_char(c.accident_date, 'YYYY-MM-DD') as "accidentDate"`),
      db.raw(`to_char(c.determination_date, 'YYYY-MM-DD') as "determinationDate"`),
      'c.result',
      'c.accident_type as accidentType',
      'p.name as personName',
      'p.id_number as idNumber',
      'e.name as employerName',
      'e.employer_key as employerKey',
      'e.industry_code as industryCode',
      'e.risk_class as riskClass',
    );
  if (range) void q.whereBetween('c.determination_date', [range.from, range.to]);
  return (await q) as RecognisedCase[];
}

/** Cases of the given accident types whose employer and accident date match no reported accident. */
export async function casesWithoutReport(db: Db, accidentTypes: readonly string[], range: { from: string; to: string }): Promise<{ caseKey: string; cityCode: string; employerKey: string; accidentDate: string }[]> {
  if (!(await hasInjuryCases(db))) return [];
  const rows = await db('province.injury_case as c')
    .join('province.employer as e', 'e.id', 'c.employer_id')
    .whereIn('c.accident_type', [...accidentTypes])
    .whereBetween('c.accident_date', [range.from, range.to])
    .whereNotExists(
      db('province.safety_accident as a').whereRaw('a.occurred_on = c.accident_date').where((w) => {
        void w.whereRaw('a.employer_usc = e.usc_code').orWhereRaw('a.employer_usc = e.employer_key');
      }),
    )
    .orderBy('c.natural_key')
    .select('c.natural_key as caseKey', 'c.city_code as cityCode', 'e.employer_key as employerKey', db.raw(`to_char(c.accident_date, 'YYYY-MM-DD') as "accidentDate"`));
  return rows as { caseKey: string; cityCode: string; employerKey: string; accidentDate: string }[];
}

/** Casualty accidents that occurred on or before `occurredBy` with no injury case for that employer and day. */
export async function accidentsWithoutCase(db: Db, occurredBy: string): Promise<{ reportId: string; cityCode: string; occurredOn: string; deaths: number; injuries: number }[]> {
  const q = db('province.safety_accident as a')
    .whereRaw('a.deaths + a.injuries > 0')
    .where('a.occurred_on', '<=', occurredBy)
    .orderBy('a.report_id')
    .select('a.report_id as reportId', 'a.city_code as cityCode', db.raw(`to_char(a.occurred_on, 'YYYY-MM-DD') as "occurredOn"`), 'a.deaths', 'a.injuries');
  if (await hasInjuryCases(db)) {
    void q.whereNotExists(
      db('province.injury_case as c')
        .join('province.employer as e', 'e.id', 'c.employer_id')
        .whereRaw('c.accident_date = a.occurred_on')
        .where((w) => {
          void w.whereRaw('e.usc_code = a.employer_usc').orWhereRaw('e.employer_key = a.employer_usc');
        }),
    );
  }
  return (await q) as { reportId: string; cityCode: string; occurredOn: string; deaths: number; injuries: number }[];
}

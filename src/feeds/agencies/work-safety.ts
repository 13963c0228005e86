/**
 * 应急管理 (emergency management, formerly 安监): production-safety accident reports come in, and
 * are cross-checked against the injury cases — accidents with casualties and still no injury case
 * after the configured days, and injury cases whose accident the agency never reported (injury
 * determination does not wait for an accident report, so neither side is wrong by itself: the
 * list is for people to look at). Monthly injury statistics go out.
 */
import { z } from 'zod';
import type { Db } from '../../db/knex';
import { cstDate, monthRange } from '../calendar';
import { injuryStatistics } from '../statistics';
import { cityOf, count, division, instant, optionalText, text, ymd } from './fields';
import { accidentsWithoutCase, casesWithoutReport, recognisedCases } from './injury-cases';
import { monthlyDeliveries } from './monthly';
import { upsertLatest } from './latest-wins';
import type { InboundSchema, OutboundSchema } from './types';

const AccidentSchema = z.object({
  report_id: text,
  occurred_on: ymd,
  division_code: division,
  employer_usc: optionalText,
  employer_name: text,
  deaths: count.default(0),
  injuries: count.default(0),
  summary: optionalText,
  updated_at: instant.optional(),
});
export type AccidentReport = z.output<typeof AccidentSchema>;

export const accidentReport: InboundSchema<AccidentReport> = {
  record: AccidentSchema,
  idField: 'report_id',
  store: (trx, records) =>
    upsertLatest(trx, 'province.safety_accident', 'report_id', records, (a) => ({
      report_id: a.report_id,
      occurred_on: a.occurred_on,
      division_code: a.division_code,
      city_code: cityOf(a.division_code),
      employer_usc: a.employer_usc?.toUpperCase() ?? null,
      employer_name: a.employer_name,
      deaths: a.deaths,
      injuries: a.injuries,
      summary: a.summary,
      agency_updated_at: a.updated_at ?? null,
    })),
};

/** Accident types a production-safety accident report is expected for. */
export const REPORTABLE_ACCIDENT_TYPES = ['workplace_accident'] as const;

export interface CrossCheckCounts {
  accidents_without_case: number;
  cases_without_report: number;
}

/**
 * The cross-check as of a day, replacing that day's findings (a re-run gives the same list).
 * Cases are checked over the last year of accidents; accidents once `days` have passed.
 */
export async function crossCheckAccidents(db: Db, feedId: string, asOf: Date, days: number): Promise<CrossCheckCounts> {
  const day = cstDate(asOf);
  const occurredBy = cstDate(new Date(asOf.getTime() - days * 86_400_000));
  const yearAgo = cstDate(new Date(asOf.getTime() - 366 * 86_400_000));
  const [accidents, cases] = await Promise.all([accidentsWithoutCase(db, occurredBy), casesWithoutReport(db, REPORTABLE_ACCIDENT_TYPES, { from: yearAgo, to: day })]);
  await db.transaction(async (trx) => {
    await trx('pipeline.accident_cross_check').where({ feed_id: feedId, as_of: day }).delete();
    const rows = [
      ...accidents.map((a) => ({ feed_id: feedId, as_of: day, finding: 'accident_without_case', accident_report_id: a.reportId, city_code: a.cityCode, detail: JSON.stringify({ occurred_on: a.occurredOn, deaths: a.deaths, injuries: a.injuries, days }) })),
      ...cases.map((c) => ({ feed_id: feedId, as_of: day, finding: 'case_without_report', injury_case_key: c.caseKey, city_code: c.cityCode, detail: JSON.stringify({ accident_date: c.accidentDate, employer_key: c.employerKey }) })),
    ];
    if (rows.length) await trx('pipeline.accident_cross_check').insert(rows);
  });
  return { accidents_without_case: accidents.length, cases_without_report: cases.length };
}

/** Monthly injury statistics (work safety and unions alike): recognised cases determined in the month. */
export const injuryStatisticsFeed: OutboundSchema = {
  due(ctx) {
    if (ctx.feed.schema !== 'injury_statistics') throw new Error(`feed ${ctx.feed.id} is not a statistics feed`);
    return monthlyDeliveries(ctx, ctx.feed.options.first_month, async (month) => {
      const cases = await recognisedCases(ctx.db, monthRange(month));
      return { recognised_cases: cases.length, rows: injuryStatistics(cases) };
    });
  },
};

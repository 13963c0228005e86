/**
 * Reports of a province run: each city's report is kept as it arrives (merged, for a re-run of
 * some sources); the province report sums the latest report of every city of the manifest.
 */
import { cityTotals, emptyTotals, mergeCityReport, sumTotals, type CityEntry, type CityStatus, type CrossCitySummary, type ProvinceReport, type ProvinceSummary } from '../../src/report/province-report';
import { readCityReports, saveCityReport, saveProvinceReport } from '../../src/report/store';
import type { CityReport } from '../../workflows/city-migration';
import type { ActivityDeps } from '../deps';

export type { CityStatus, ProvinceSummary } from '../../src/report/province-report';

export interface RecordCityReportInput {
  provinceCode: string;
  workflowId: string;
  report: CityReport;
  /** the run covered some sources only: keep the others' last reports */
  partial: boolean;
}

export interface BuildProvinceReportInput {
  provinceCode: string;
  provinceName: string;
  workflowId: string;
  fundPolicyPath: string;
  cities: { cityCode: string; cityName: string; status: CityStatus; error?: string }[];
  crossCity: CrossCitySummary;
}

export function createRecordCityReport({ db }: ActivityDeps) {
  return async function recordCityReport(input: RecordCityReportInput): Promise<void> {
    await db.transaction(async (trx) => {
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`city-report/${input.provinceCode}/${input.report.cityCode}`]);
      const previous = (await readCityReports(trx, input.provinceCode, [input.report.cityCode])).get(input.report.cityCode) ?? null;
      await saveCityReport(trx, input.provinceCode, input.workflowId, mergeCityReport(previous, input.report, input.partial));
    });
  };
}

export function createBuildProvinceReport({ db }: ActivityDeps) {
  return async function buildProvinceReport(input: BuildProvinceReportInput): Promise<ProvinceSummary> {
    const stored = await readCityReports(db, input.provinceCode, input.cities.map((c) => c.cityCode));
    const cities: CityEntry[] = input.cities.map((c) => {
      const report = stored.get(c.cityCode);
      return { ...c, totals: report ? cityTotals(report) : emptyTotals() };
    });
    const report: ProvinceReport = {
      provinceCode: input.provinceCode,
      provinceName: input.provinceName,
      workflowId: input.workflowId,
      fundPolicyPath: input.fundPolicyPath,
      generatedAt: new Date().toISOString(),
      totals: sumTotals(cities.map((c) => c.totals)),
      cities,
      crossCity: input.crossCity,
      cityReports: input.cities.flatMap((c) => stored.get(c.cityCode) ?? []),
    };
    const reportId = await saveProvinceReport(db, report);
    const { cityReports: _full, ...summary } = report;
    return { ...summary, reportId };
  };
}

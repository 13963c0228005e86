/** Where province runs keep their reports: the latest report of each city and every province report. */
import type { Db } from '../db/knex';
import type { CityReport } from '../../workflows/city-migration';
import type { SourceReport } from '../../activities/source-report';
import { withCurrentSources, type ProvinceReport } from './province-report';

export async function readCityReports(db: Db, provinceCode: string, cityCodes: readonly string[]): Promise<Map<string, CityReport>> {
  const rows = (await db('pipeline.city_report').where({ province_code: provinceCode }).whereIn('city_code', [...cityCodes]).select('city_code', 'report')) as {
    city_code: string;
    report: CityReport;
  }[];
  return new Map(rows.map((r) => [r.city_code, r.report]));
}

export async function saveCityReport(db: Db, provinceCode: string, workflowId: string, report: CityReport): Promise<void> {
  await db('pipeline.city_report')
    .insert({
      province_code: provinceCode,
      city_code: report.cityCode,
      city_name: report.cityName,
      mapping_version_id: report.mappingVersionId,
      report: JSON.stringify(report),
      workflow_id: workflowId,
    })
    .onConflict(['province_code', 'city_code'])
    .merge(['city_name', 'mapping_version_id', 'report', 'workflow_id', 'updated_at']);
}

export async function saveProvinceReport(db: Db, report: ProvinceReport): Promise<string> {
  const [row] = await db('pipeline.province_report')
    .insert({ province_code: report.provinceCode, workflow_id: report.workflowId, report: JSON.stringify(report) })
    .returning('id');
  return String(row.id);
}

export async function latestProvinceReport(db: Db, provinceCode: string): Promise<(ProvinceReport & { reportId: string }) | null> {
  const row = await db('pipeline.province_report').where({ province_code: provinceCode }).orderBy('id', 'desc').first('id', 'report');
  return row ? { ...(row.report as ProvinceReport), reportId: String(row.id) } : null;
}

/** The latest province report with its sources' counts as they are now (after steward fixes). */
export async function currentProvinceReport(db: Db, provinceCode: string): Promise<(ProvinceReport & { reportId: string }) | null> {
  const latest = await latestProvinceReport(db, provinceCode);
  if (!latest) return null;
  const pairs = latest.cityReports.flatMap((c) => c.sources.map((s) => [s.sourceFileId, c.mappingVersionId] as const));
  if (!pairs.length) return latest;
  const rows = (await db('pipeline.source_report')
    .whereIn(['source_file_id', 'mapping_version_id'], pairs.map(([f, mv]) => [f, mv]))
    .select('source_file_id', 'report')) as { source_file_id: string; report: SourceReport }[];
  const current = new Map(rows.map((r) => [String(r.source_file_id), r.report]));
  return { ...withCurrentSources(latest, current), reportId: latest.reportId };
}

/** The province report for a terminal: cities and their sum, the cross-city findings, the reasons
 * with their meaning in Chinese and English. */
import { renderTable } from '../cli/text-table';
import { accountingAddsUp } from '../domain/normalize/accounting';
import type { ProvinceReport } from './province-report';
import { CITY_HEADERS, cityRows, crossCityRows, REASON_HEADERS, reasonRows } from './province-tables';

export function renderProvinceReportText(report: ProvinceReport & { reportId?: string }): string {
  const t = report.totals;
  const balanced = accountingAddsUp(t);
  const reasons = reasonRows([t]);
  return [
    `${report.provinceName} (${report.provinceCode}) — province report${report.reportId ? ` #${report.reportId}` : ''}, ${report.generatedAt}`,
    renderTable(CITY_HEADERS, cityRows(report), { numericFrom: 3 }),
    `read ${t.read} = loaded ${t.loaded} + rejected ${t.rejected} + skipped ${t.skipped} + duplicates ${t.duplicates}  ${balanced ? '✓' : '✗ MISMATCH'}${t.fixed ? `  (loaded after a steward fix: ${t.fixed})` : ''}`,
    '',
    renderTable(['跨市比对 cross-city', ''], crossCityRows(report)),
    ...(reasons.length ? ['', renderTable([...REASON_HEADERS, '全省 province'], reasons, { numericFrom: 4 })] : []),
    ...report.cities.filter((c) => c.error).map((c) => `\n${c.cityCode} ${c.cityName} failed: ${c.error}`),
  ].join('\n');
}

import type { CityReport } from '../../workflows/city-migration';
import { renderTable } from './text-table';

export interface Totals {
  read: number;
  loaded: number;
  rejected: number;
  skipped: number;
  duplicates: number;
  byReason: Record<string, number>;
  bySkip: Record<string, number>;
  warnings: Record<string, number>;
}

const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

export function cityTotals(report: CityReport): Totals {
  const t: Totals = { read: 0, loaded: 0, rejected: 0, skipped: 0, duplicates: 0, byReason: {}, bySkip: {}, warnings: {} };
  for (const s of report.sources)
    for (const st of s.streams) {
      t.read += st.read;
      t.loaded += st.loaded;
      t.rejected += st.rejected;
      t.skipped += st.skipped;
      t.duplicates += st.duplicates;
      add(t.byReason, st.byReason);
      add(t.bySkip, st.bySkip);
      add(t.warnings, st.warnings);
    }
  return t;
}

/** The report an operator reads: per source and stream the accounting, then the reasons. */
export function renderCityReport(report: CityReport): string {
  const rows = report.sources.flatMap((s) =>
    s.streams.map((st) => [
      `${s.sourceKey}${st.stream ? ` [${st.stream}]` : ''} v${s.version}${s.status === 'unchanged' ? ' (unchanged: nothing loaded this run)' : ''}`,
      st.read, st.loaded, st.rejected, st.skipped, st.duplicates,
    ]),
  );
  const t = cityTotals(report);
  rows.push(['total', t.read, t.loaded, t.rejected, t.skipped, t.duplicates]);
  const lines = [
    `${report.cityName} (${report.cityCode}) — mapping ${report.mappingName}, version #${report.mappingVersionId}`,
    renderTable(['source', 'read', 'loaded', 'rejected', 'skipped', 'duplicates'], rows),
    `check: read ${t.read} = loaded ${t.loaded} + rejected ${t.rejected} + skipped ${t.skipped} + duplicates ${t.duplicates}` +
      (t.read === t.loaded + t.rejected + t.skipped + t.duplicates ? '  ✓' : '  ✗ MISMATCH'),
  ];
  const reasons = Object.entries(t.byReason).sort(([a], [b]) => a.localeCompare(b));
  if (reasons.length) lines.push('', renderTable(['reject reason', 'rows'], reasons));
  const skips = Object.entries(t.bySkip).sort(([a], [b]) => a.localeCompare(b));
  if (skips.length) lines.push('', renderTable(['skip code', 'rows'], skips));
  const warnings = Object.entries(t.warnings).sort(([a], [b]) => a.localeCompare(b));
  if (warnings.length) lines.push('', renderTable(['warning', 'rows'], warnings));
  return lines.join('\n');
}

import type { OverlapReport } from '../../activities/overlap-report';
import { accountingAddsUp, addAccounting, emptyAccounting, type RowAccounting } from '../domain/normalize/accounting';
import { sumControlTotals, type ControlTotal } from '../domain/normalize/control-totals';
import { fenToYuanString } from '../domain/decimal';
import type { CityReport } from '../../workflows/city-migration';
import { renderTable } from './text-table';

/** A city's or the province's accounting: the sum of its streams. */
export type Totals = RowAccounting;

export function cityTotals(report: CityReport): Totals {
  const t = emptyAccounting();
  for (const s of report.sources) for (const st of s.streams) addAccounting(t, st);
  return t;
}

export const cityControlTotals = (report: CityReport): ControlTotal[] => sumControlTotals(report.sources.map((s) => s.controlTotals ?? []));

const identity = (t: Totals) =>
  `check: read ${t.read} = loaded ${t.loaded} + rejected ${t.rejected} + skipped ${t.skipped} + duplicates ${t.duplicates}` + (accountingAddsUp(t) ? '  ✓' : '  ✗ MISMATCH');

/** Reasons, skips and warnings as tables (only those that occurred). */
function codeTables(t: Totals): string[] {
  const out: string[] = [];
  for (const [title, counts] of [['reject reason', t.byReason], ['skip code', t.bySkip], ['warning', t.warnings]] as const) {
    const rows = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
    if (rows.length) out.push('', renderTable([title, 'rows'], rows));
  }
  return out;
}

/** Control totals: money in 元 for reading, counts as they are; a ✗ marks a disagreement. */
export function renderControlTotals(totals: readonly ControlTotal[]): string {
  const money = (measure: string, v: string) => (measure.endsWith('_fen') ? fenToYuanString(BigInt(v)) : v);
  return renderTable(
    ['city', 'year', 'measure', 'source rows', 'province', ''],
    totals.map((t) => [t.city, t.year, t.measure.replace(/_fen$/, ' (元)'), money(t.measure, t.source), money(t.measure, t.province), t.ok ? '✓' : '✗']),
    { numericFrom: 3 },
  );
}

export function renderOverlaps(o: OverlapReport): string {
  const head = `overlapping insurance spells: ${o.total} pairs of ${o.persons} persons (${o.crossCity} across cities)`;
  if (!o.sample.length) return head;
  return [
    head,
    renderTable(
      ['person', 'city', 'employer', 'from', 'to', 'city', 'employer', 'from', 'to', 'overlap'],
      o.sample.map((s) => [s.idNumber, s.a.cityCode, s.a.employer, s.a.start, s.a.end ?? '—', s.b.cityCode, s.b.employer, s.b.start, s.b.end ?? '—', `${s.from} … ${s.to ?? ''}`]),
      { numericFrom: 99 },
    ),
  ].join('\n');
}

/** The report an operator reads: per source and stream the accounting, then the reasons. */
export function renderCityReport(report: CityReport): string {
  const rows = report.sources.flatMap((s) =>
    s.streams.map((st) => [
      `${s.sourceKey}${st.stream ? ` [${st.stream}]` : ''} v${s.version}${s.status === 'unchanged' ? ' (unchanged: nothing loaded this run)' : ''}${st.notMapped ? ` (not mapped: ${st.landed} rows landed, none read)` : ''}`,
      st.read, st.loaded, st.rejected, st.skipped, st.duplicates,
    ]),
  );
  const t = cityTotals(report);
  rows.push(['total', t.read, t.loaded, t.rejected, t.skipped, t.duplicates]);
  const lines = [
    `${report.cityName} (${report.cityCode}) — mapping ${report.mappingName}, version #${report.mappingVersionId}`,
    renderTable(['source', 'read', 'loaded', 'rejected', 'skipped', 'duplicates'], rows),
    identity(t),
    ...codeTables(t),
  ];
  const totals = cityControlTotals(report);
  if (totals.length) lines.push('', renderControlTotals(totals));
  const r = report.referenceRetries;
  if (r && (r.resolved || r.narrowed)) lines.push('', `reference rejects re-tried: ${r.resolved} loaded since, ${r.narrowed} lost a reference reason but keep others`);
  if (report.overlaps?.total) lines.push('', renderOverlaps(report.overlaps));
  return lines.join('\n');
}

/** The province report: every city's accounting and control totals, and their sum. */
export function renderProvinceReport(reports: readonly CityReport[], overlaps?: OverlapReport): string {
  const province = emptyAccounting();
  const rows = reports.map((r) => {
    const t = cityTotals(r);
    addAccounting(province, t);
    return [`${r.cityName} (${r.cityCode})`, t.read, t.loaded, t.rejected, t.skipped, t.duplicates];
  });
  rows.push(['province', province.read, province.loaded, province.rejected, province.skipped, province.duplicates]);
  const lines = ['Province report — the sum of its cities', renderTable(['city', 'read', 'loaded', 'rejected', 'skipped', 'duplicates'], rows), identity(province), ...codeTables(province)];
  const totals = sumControlTotals(reports.map(cityControlTotals));
  if (totals.length) lines.push('', renderControlTotals(totals));
  if (overlaps) lines.push('', renderOverlaps(overlaps));
  return lines.join('\n');
}

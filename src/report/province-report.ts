/**
 * The province report (全省迁移报告): per city the accounting of every row, summed over its
 * sources and streams, and the province as the sum of its cities — plus what the cross-city step
 * found. Pure: built from city reports, which activities read and store.
 */
import type { SourceReport } from '../../activities/source-report';
import { addAccounting, emptyAccounting, type RowAccounting } from '../domain/normalize/accounting';
import type { CityReport } from '../../workflows/city-migration';

/** A city's or the province's rows, with how many sources, sheets/tables and landed rows made them. */
export interface Totals extends RowAccounting {
  sources: number;
  streams: number;
  landed: number;
  /** of `loaded`: rows a steward fixed whose fix loaded (absent from reports stored before) */
  fixed?: number;
  /** money the sources loaded, as the provincial tables have it: fen as decimal text by control
   * measure (`contribution.amount_due_fen` …; absent from reports stored before) */
  money?: Record<string, string>;
}

/** done: migrated by this run; failed: this run tried and failed; skipped: not part of this run
 * (a re-run of other cities) — its figures are those of its last report, if any. */
export type CityStatus = 'done' | 'failed' | 'skipped';

export interface CityEntry {
  cityCode: string;
  cityName: string;
  status: CityStatus;
  error?: string;
  totals: Totals;
}

export interface CrossCitySummary {
  /** persons whose rows came from more than one city */
  persons: number;
  /** of those, persons some city's rows conflicted with */
  conflictPersons: number;
  /** overlapping insurance spells province-wide (allowed, but listed for stewards) */
  spellOverlaps: { total: number; crossCity: number; persons: number };
}

export interface ProvinceReport {
  provinceCode: string;
  provinceName: string;
  workflowId: string;
  fundPolicyPath: string;
  generatedAt: string;
  totals: Totals;
  cities: CityEntry[];
  crossCity: CrossCitySummary;
  /** the full city reports, for the workbook; absent from the workflow's result */
  cityReports: CityReport[];
}

/** What the province workflow returns: the report without the full city reports. */
export type ProvinceSummary = Omit<ProvinceReport, 'cityReports'> & { reportId: string };

export function emptyTotals(): Totals {
  return { ...emptyAccounting(), sources: 0, streams: 0, landed: 0, fixed: 0, money: {} };
}

function addMoney(into: Record<string, string>, measure: string, fen: string): void {
  into[measure] = (BigInt(into[measure] ?? '0') + BigInt(fen)).toString();
}

export function sumTotals(list: readonly Totals[]): Totals {
  const t = emptyTotals();
  for (const x of list) {
    t.sources += x.sources;
    t.streams += x.streams;
    t.landed += x.landed;
    t.fixed! += x.fixed ?? 0;
    for (const [m, fen] of Object.entries(x.money ?? {})) addMoney(t.money!, m, fen);
    addAccounting(t, x);
  }
  return t;
}

export function sourceTotals(source: SourceReport): Totals {
  const t = emptyTotals();
  t.sources = 1;
  t.streams = source.streams.length;
  for (const s of source.streams) {
    t.landed += s.landed;
    t.fixed! += s.fixed ?? 0;
    addAccounting(t, s);
  }
  for (const c of source.controlTotals ?? []) if (c.measure.endsWith('_fen')) addMoney(t.money!, c.measure, c.province);
  return t;
}

export function cityTotals(report: CityReport): Totals {
  return sumTotals(report.sources.map(sourceTotals));
}

/** A city's report after a run: the run's own, or — for a run of some sources only — the last
 * report with those sources replaced. */
export function mergeCityReport(previous: CityReport | null, current: CityReport, partial: boolean): CityReport {
  if (!partial || !previous) return current;
  const fresh = new Map(current.sources.map((s) => [s.sourceKey, s]));
  const kept = previous.sources.map((s) => fresh.get(s.sourceKey) ?? s);
  const added = current.sources.filter((s) => !previous.sources.some((p) => p.sourceKey === s.sourceKey));
  return { ...current, sources: [...kept, ...added] };
}

/**
 * A stored province report with each city's sources as their latest source reports have them:
 * steward fixes and "not a record" decisions after the run re-account the original sources
 * (settleStewardFixes, the workbench), and the report shows those counts, not the run's.
 * `current` maps a source file id to its latest report under the city's mapping version.
 */
export function withCurrentSources(report: ProvinceReport, current: ReadonlyMap<string, SourceReport>): ProvinceReport {
  const cityReports = report.cityReports.map((c) => ({
    ...c,
    sources: c.sources.map((s) => {
      const now = current.get(s.sourceFileId);
      return now ? { ...now, status: s.status, retriesSeen: s.retriesSeen } : s;
    }),
  }));
  const byCode = new Map(cityReports.map((c) => [c.cityCode, c]));
  const cities = report.cities.map((c) => {
    const r = byCode.get(c.cityCode);
    return r ? { ...c, totals: cityTotals(r) } : c;
  });
  return { ...report, cities, cityReports, totals: sumTotals(cities.map((c) => c.totals)) };
}

/**
 * The province report (全省迁移报告): per city the accounting of every row, summed over its
 * sources and streams, and the province as the sum of its cities — plus what the cross-city step
 * found. Pure: built from city reports, which activities read and store.
 */
import type { SourceReport, StreamReport } from '../../activities/source-report';
import type { CityReport } from '../../workflows/city-migration';

export interface Totals {
  sources: number;
  streams: number;
  landed: number;
  read: number;
  loaded: number;
  rejected: number;
  skipped: number;
  /** exact duplicates merged plus rows superseded by a later version */
  duplicates: number;
  superseded: number;
  byReason: Record<string, number>;
  bySkip: Record<string, number>;
  warnings: Record<string, number>;
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

const COUNTS = ['landed', 'read', 'loaded', 'rejected', 'skipped', 'duplicates', 'superseded'] as const;
const TALLIES = ['byReason', 'bySkip', 'warnings'] as const;

export function emptyTotals(): Totals {
  return { sources: 0, streams: 0, landed: 0, read: 0, loaded: 0, rejected: 0, skipped: 0, duplicates: 0, superseded: 0, byReason: {}, bySkip: {}, warnings: {} };
}

function addCounts(into: Totals, from: Pick<Totals, (typeof COUNTS)[number] | (typeof TALLIES)[number]>): void {
  for (const k of COUNTS) into[k] += from[k];
  for (const k of TALLIES) for (const [code, n] of Object.entries(from[k])) into[k][code] = (into[k][code] ?? 0) + n;
}

export function sumTotals(list: readonly Totals[]): Totals {
  const t = emptyTotals();
  for (const x of list) {
    t.sources += x.sources;
    t.streams += x.streams;
    addCounts(t, x);
  }
  return t;
}

export function sourceTotals(source: SourceReport): Totals {
  const t = emptyTotals();
  t.sources = 1;
  t.streams = source.streams.length;
  source.streams.forEach((s: StreamReport) => addCounts(t, s));
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

/**
 * Progress for people: a bar per city in a terminal, redrawn in place; plain lines elsewhere (logs,
 * pipes, CI), one per city whenever its line changes. Pure: views in, text out.
 */
import type { CityProgress } from '../../workflows/city-migration';
import { rowsDone, type SourceProgress } from '../../workflows/province-progress';
import type { CityRun } from '../../workflows/province-migration';
import type { ProvinceView } from './progress';

const ACTIVE = new Set(['landing', 'normalizing', 'loading', 'reporting']);
const num = (n: number) => n.toLocaleString('en-US');

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Share of a city's work done: both passes over every landed row; null before anything is landed. */
export function cityFraction(city: CityProgress): number | null {
  let done = 0;
  let total = 0;
  for (const s of city.sources) {
    if (s.stage === 'unchanged') continue;
    total += 2 * s.rowsTotal;
    done += s.stage === 'done' || s.stage === 'reporting' ? 2 * s.rowsTotal : s.rowsNormalized + s.rowsLoaded;
  }
  return total > 0 ? done / total : null;
}

/** The source a city is working on, shown with rows, rate, time left and rejects. */
export function sourceDetail(s: SourceProgress): string {
  const name = s.sourceKey.split('/').slice(1).join('/');
  if (s.stage === 'landing') return `${name}: ${num(s.rowsLanded)} rows landed`;
  const parts = [`${name}: ${num(rowsDone(s))}/${num(s.rowsTotal)} rows`];
  if (s.rowsPerSecond) parts.push(`${num(s.rowsPerSecond)} rows/s`);
  if (s.etaSeconds !== null && s.stage !== 'done') parts.push(`ETA ${formatDuration(s.etaSeconds)}`);
  parts.push(`rejects ${num(s.rejects)}`);
  return parts.join(', ');
}

export interface CityLine {
  label: string;
  stage: string;
  fraction: number | null;
  detail: string;
}

export function cityLine(run: CityRun, city: CityProgress | undefined, paused: boolean): CityLine {
  const label = `${run.cityCode} ${run.cityName}`;
  if (!city) return { label, stage: run.status, fraction: run.status === 'done' ? 1 : null, detail: run.error ?? '' };
  const current = city.sources.find((s) => ACTIVE.has(s.stage));
  const finished = city.sources.filter((s) => s.stage === 'done' || s.stage === 'unchanged').length;
  const between = finished === city.sources.length ? 'finishing' : 'starting';
  const stage = run.status === 'running' ? (city.paused || paused ? 'paused' : (current?.stage ?? between)) : run.status;
  const detail = [current ? sourceDetail(current) : '', `sources ${finished}/${city.sources.length}`, run.error ?? ''].filter(Boolean).join('  ');
  return { label, stage, fraction: run.status === 'done' ? 1 : cityFraction(city), detail };
}

export function cityLines(view: ProvinceView): CityLine[] {
  return view.province.cities.map((run) => cityLine(run, view.cities[run.cityCode], view.province.paused));
}

const percent = (f: number | null) => (f === null ? '  —' : `${Math.floor(f * 100)}%`.padStart(4));

export function headline(view: ProvinceView): string {
  const p = view.province;
  const state = view.status === 'RUNNING' ? (p.paused ? 'paused' : p.stage) : view.status.toLowerCase();
  const done = p.cities.filter((c) => c.status === 'done').length;
  const name = p.provinceCode ? `${p.provinceName} (${p.provinceCode}) ` : '';
  return `${name}${view.workflowId}: ${state}, cities done ${done}/${p.cities.length}`;
}

/** Plain lines, one per city, as they are now (the caller prints those that changed). */
export function plainLines(view: ProvinceView): string[] {
  return cityLines(view).map((l) => `${l.label}  ${l.stage}  ${percent(l.fraction).trim()}  ${l.detail}`.trimEnd());
}

/** The terminal block: a headline and a bar per city. */
export function barLines(view: ProvinceView, width = 24): string[] {
  const lines = cityLines(view);
  const labelWidth = Math.max(...lines.map((l) => l.label.length), 0);
  return [
    headline(view),
    ...lines.map((l) => {
      const filled = Math.round((l.fraction ?? 0) * width);
      const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
      return `  ${l.label.padEnd(labelWidth)}  ${bar} ${percent(l.fraction)}  ${l.stage.padEnd(11)} ${l.detail}`.trimEnd();
    }),
  ];
}

/**
 * A progress display on a stream: in a terminal it redraws its block in place; otherwise it
 * writes a timestamped line for each city whose line changed, and the headline when it changes.
 */
export function progressPrinter(out: { write(s: string): unknown }, isTTY: boolean, clock: () => Date = () => new Date()) {
  let drawn = 0;
  let lastHead = '';
  const last = new Map<string, string>();
  return (view: ProvinceView): void => {
    if (isTTY) {
      const block = barLines(view);
      // move up over the previous block and clear each line before writing it again
      out.write((drawn ? `\x1b[${drawn}A` : '') + block.map((l) => `\x1b[2K${l}\n`).join(''));
      drawn = block.length;
      return;
    }
    const time = clock().toISOString().slice(11, 19);
    const head = headline(view);
    if (head !== lastHead) out.write(`[${time}] ${head}\n`);
    lastHead = head;
    plainLines(view).forEach((line, i) => {
      const city = view.province.cities[i]!.cityCode;
      if (last.get(city) !== line) out.write(`[${time}] ${line}\n`);
      last.set(city, line);
    });
  };
}

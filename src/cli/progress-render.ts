/**
 * Progress for people: a bar per city in a terminal, redrawn in place; plain lines elsewhere (logs,
 * pipes, CI) — one per city whenever its line changes, or (`status --watch`) one per refresh.
 * Times are China Standard Time. A paused city shows `paused`, no rate and no time left. Pure:
 * views and the clock in, text out.
 */
import type { CityProgress } from '../../workflows/city-migration';
import { cityShare, rowsDone, secondsLeft, type SourceProgress } from '../../workflows/province-progress';
import { cstDateTime } from '../feeds/calendar';
import type { CityRun } from '../../workflows/province-migration';
import type { ProvinceView } from './progress';

const ACTIVE = new Set(['landing', 'normalizing', 'loading', 'reporting']);
const num = (n: number) => n.toLocaleString('en-US');

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Share of a city's work done: both passes over every source's rows; null until every total is known. */
export const cityFraction = (city: CityProgress): number | null => cityShare(city.sources);

/** The source a city is working on, shown with rows, rate, time left (at `now`) and rejects; a
 * paused source has neither rate nor time left. */
export function sourceDetail(s: SourceProgress, paused = false, now = Date.now()): string {
  const name = s.sourceKey.split('/').slice(1).join('/');
  if (s.stage === 'landing') return `${name}: ${num(s.rowsLanded)} rows landed`;
  const parts = [`${name}: ${num(rowsDone(s))}/${num(s.rowsTotal)} rows`];
  const left = secondsLeft(s, now);
  if (!paused && s.rowsPerSecond) parts.push(`${num(s.rowsPerSecond)} rows/s`);
  if (!paused && left !== null && s.stage !== 'done') parts.push(`ETA ${formatDuration(left)}`);
  parts.push(`rejects ${num(s.rejects)}`);
  return parts.join(', ');
}

export interface CityLine {
  label: string;
  stage: string;
  fraction: number | null;
  detail: string;
}

export function cityLine(run: CityRun, city: CityProgress | undefined, paused: boolean, now = Date.now()): CityLine {
  const label = `${run.cityCode} ${run.cityName}`;
  if (!city) return { label, stage: run.status === 'waiting' && paused ? 'paused' : run.status, fraction: run.status === 'done' ? 1 : null, detail: run.error ?? '' };
  const current = city.sources.find((s) => ACTIVE.has(s.stage));
  const finished = city.sources.filter((s) => s.stage === 'done' || s.stage === 'unchanged').length;
  const between = finished === city.sources.length ? 'finishing' : 'starting';
  const isPaused = run.status === 'running' && (city.paused || paused);
  const stage = run.status === 'running' ? (isPaused ? 'paused' : (current?.stage ?? between)) : run.status;
  const detail = [current ? sourceDetail(current, isPaused, now) : '', `sources ${finished}/${city.sources.length}`, run.error ?? ''].filter(Boolean).join('  ');
  return { label, stage, fraction: run.status === 'done' ? 1 : cityFraction(city), detail };
}

export function cityLines(view: ProvinceView, now = Date.now()): CityLine[] {
  return view.province.cities.map((run) => cityLine(run, view.cities[run.cityCode], view.province.paused, now));
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
export function plainLines(view: ProvinceView, now = Date.now()): string[] {
  return cityLines(view, now).map((l) => `${l.label}  ${l.stage}  ${percent(l.fraction).trim()}  ${l.detail}`.trimEnd());
}

/** One line for the whole run: the headline, then each city that is not waiting, separated by ` | `. */
export function watchLine(view: ProvinceView, now = Date.now()): string {
  const cities = cityLines(view, now).filter((l) => l.stage !== 'waiting' && l.stage !== 'skipped');
  return [headline(view), ...cities.map((l) => `${l.label} ${l.stage} ${percent(l.fraction).trim()}${l.detail ? ` ${l.detail}` : ''}`)].join(' | ');
}

/** The clock time of a line, in China Standard Time. */
const clockTime = (at: Date): string => cstDateTime(at).slice(11);

/** The terminal block: a headline and a bar per city. */
export function barLines(view: ProvinceView, width = 24, now = Date.now()): string[] {
  const lines = cityLines(view, now);
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
 * writes a timestamped line for each city whose line changed, and the headline when it changes —
 * or, with `everyRefresh` (`status --watch`), exactly one timestamped line per refresh.
 */
export function progressPrinter(out: { write(s: string): unknown }, isTTY: boolean, clock: () => Date = () => new Date(), everyRefresh = false) {
  let drawn = 0;
  let lastHead = '';
  const last = new Map<string, string>();
  return (view: ProvinceView): void => {
    const at = clock();
    if (isTTY) {
      const block = barLines(view, 24, at.getTime());
      // move up over the previous block and clear each line before writing it again
      out.write((drawn ? `\x1b[${drawn}A` : '') + block.map((l) => `\x1b[2K${l}\n`).join(''));
      drawn = block.length;
      return;
    }
    const time = clockTime(at);
    if (everyRefresh) {
      out.write(`[${time}] ${watchLine(view, at.getTime())}\n`);
      return;
    }
    const head = headline(view);
    if (head !== lastHead) out.write(`[${time}] ${head}\n`);
    lastHead = head;
    plainLines(view, at.getTime()).forEach((line, i) => {
      const city = view.province.cities[i]!.cityCode;
      if (last.get(city) !== line) out.write(`[${time}] ${line}\n`);
      last.set(city, line);
    });
  };
}

/**
 * The progress model a province and its cities report through their queries. Per source: the
 * stage, the rows to do (known once landed), how many have been through each pass (normalize,
 * then load), the rate over both passes since the first began, the time left, and rejects so far.
 *
 * Monotone by design, so a display never goes backwards: a source's total is fixed when it has
 * landed (before any of it is counted done), a city has a share done only once every source's total
 * is known, rows done only grow, and the estimated finish only moves earlier — except across a
 * pause, which shifts the clock by its length (a paused source shows no rate and no time left).
 * Pure: the workflow passes its clock in.
 */

export type SourceStage = 'waiting' | 'landing' | 'normalizing' | 'loading' | 'reporting' | 'done' | 'unchanged';

export interface SourceProgress {
  sourceKey: string;
  stage: SourceStage;
  rowsLanded: number;
  batchesDone: number;
  batchesTotal: number;
  /** rows to normalize and load: the landed rows of every stream, fixed once landed */
  rowsTotal: number;
  /** `rowsTotal` is final (the source has landed, or is unchanged); absent in runs started before */
  totalKnown?: boolean;
  rowsNormalized: number;
  rowsLoaded: number;
  /** rows through either pass per second, since the first pass began (paused time excluded) */
  rowsPerSecond: number | null;
  /** seconds left as of the last finished batch */
  etaSeconds: number | null;
  /** workflow time (ms) the source is expected to finish: only ever moves earlier (a pause aside) */
  finishAt?: number | null;
  /** rows rejected so far, by normalization and by loading */
  rejects: number;
  /** workflow time (ms) the first pass began (moved later by the length of each pause) */
  startedAt: number | null;
  /** workflow time (ms) a pause began, while paused */
  pausedAt?: number | null;
}

export function waitingSource(sourceKey: string): SourceProgress {
  return {
    sourceKey, stage: 'waiting', rowsLanded: 0, batchesDone: 0, batchesTotal: 0, rowsTotal: 0, totalKnown: false, rowsNormalized: 0, rowsLoaded: 0,
    rowsPerSecond: null, etaSeconds: null, finishAt: null, rejects: 0, startedAt: null, pausedAt: null,
  };
}

const FINISHED = new Set<SourceStage>(['done', 'unchanged']);

export function enterStage(p: SourceProgress, stage: SourceStage, now: number): void {
  p.stage = stage;
  if (stage === 'normalizing') p.startedAt ??= now;
  if (stage === 'unchanged') p.totalKnown = true;
  if (FINISHED.has(stage)) {
    p.etaSeconds = 0;
    p.finishAt = now;
  }
}

/** The source has landed: its rows to do are known, before any pass counts rows done. */
export function landed(p: SourceProgress, rowsLanded: number): void {
  p.rowsLanded = rowsLanded;
  p.rowsTotal = rowsLanded;
  p.totalKnown = true;
}

/** Rows through the pass the source is in: what a progress bar shows against `rowsTotal`. */
export function rowsDone(p: Pick<SourceProgress, 'stage' | 'rowsNormalized' | 'rowsLoaded' | 'rowsTotal'>): number {
  if (p.stage === 'normalizing') return Math.min(p.rowsNormalized, p.rowsTotal);
  if (p.stage === 'done' || p.stage === 'unchanged' || p.stage === 'reporting') return p.rowsTotal;
  return Math.min(p.rowsLoaded, p.rowsTotal);
}

/** Counts one finished batch of `rows` in `pass` and re-estimates the rate and the time left. */
export function advance(p: SourceProgress, pass: 'normalize' | 'load', rows: number, rejects: number, now: number): void {
  if (pass === 'normalize') p.rowsNormalized += rows;
  else p.rowsLoaded += rows;
  p.rejects += rejects;
  p.batchesDone++;
  const seconds = p.startedAt === null ? 0 : (now - p.startedAt) / 1000;
  const through = p.rowsNormalized + p.rowsLoaded;
  p.rowsPerSecond = seconds > 0 ? Math.round(through / seconds) : null;
  if (!p.rowsPerSecond) return;
  const ahead = Math.max(0, 2 * p.rowsTotal - through);
  const estimate = now + Math.ceil(ahead / p.rowsPerSecond) * 1000;
  // a slower batch does not push the finish later: the estimate only moves earlier
  p.finishAt = Math.min(p.finishAt ?? estimate, estimate);
  p.etaSeconds = Math.max(0, Math.ceil((p.finishAt - now) / 1000));
}

/** A pause stops the clock of every source not finished; the resume restarts it where it stood. */
export function pauseSources(sources: SourceProgress[], paused: boolean, now: number): void {
  for (const p of sources) {
    if (FINISHED.has(p.stage)) continue;
    if (paused) p.pausedAt ??= now;
    else if (p.pausedAt !== null && p.pausedAt !== undefined) {
      const shift = now - p.pausedAt;
      if (p.startedAt !== null) p.startedAt += shift;
      if (p.finishAt !== null && p.finishAt !== undefined) p.finishAt += shift;
      p.pausedAt = null;
    }
  }
}

/** Seconds left at `now` (a reader's clock), counting down between batches; null when unknown. */
export function secondsLeft(p: Pick<SourceProgress, 'stage' | 'finishAt' | 'etaSeconds'>, now: number): number | null {
  if (FINISHED.has(p.stage)) return 0;
  if (p.finishAt === null || p.finishAt === undefined) return p.etaSeconds;
  return Math.max(0, Math.ceil((p.finishAt - now) / 1000));
}

/** Share of a city's work done (both passes over every source's rows), or null until every
 * source's total is known — so the share never drops when a later source lands. */
export function cityShare(sources: readonly SourceProgress[]): number | null {
  let done = 0;
  let total = 0;
  for (const s of sources) {
    if (s.stage === 'unchanged') continue;
    if (!s.totalKnown && !FINISHED.has(s.stage) && s.stage !== 'reporting') return null;
    total += 2 * s.rowsTotal;
    done += s.stage === 'done' || s.stage === 'reporting' ? 2 * s.rowsTotal : Math.min(s.rowsNormalized, s.rowsTotal) + Math.min(s.rowsLoaded, s.rowsTotal);
  }
  if (total === 0) return sources.length > 0 && sources.every((s) => FINISHED.has(s.stage)) ? 1 : null;
  return done / total;
}

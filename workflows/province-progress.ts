/**
 * The progress model a province and its cities report through their queries. Per source: the
 * stage, the rows to do (known once landed), how many have been through each pass (normalize,
 * then load), the rate over both passes since the first began, the time left, and rejects so far.
 * Pure: the workflow passes its clock in.
 */

export type SourceStage = 'waiting' | 'landing' | 'normalizing' | 'loading' | 'reporting' | 'done' | 'unchanged';

export interface SourceProgress {
  sourceKey: string;
  stage: SourceStage;
  rowsLanded: number;
  batchesDone: number;
  batchesTotal: number;
  /** rows to normalize and load: the landed row ranges of every stream */
  rowsTotal: number;
  rowsNormalized: number;
  rowsLoaded: number;
  /** rows through either pass per second, since the first pass began */
  rowsPerSecond: number | null;
  etaSeconds: number | null;
  /** rows rejected so far, by normalization and by loading */
  rejects: number;
  /** workflow time (ms) the first pass began */
  startedAt: number | null;
}

export function waitingSource(sourceKey: string): SourceProgress {
  return {
    sourceKey, stage: 'waiting', rowsLanded: 0, batchesDone: 0, batchesTotal: 0, rowsTotal: 0, rowsNormalized: 0, rowsLoaded: 0,
    rowsPerSecond: null, etaSeconds: null, rejects: 0, startedAt: null,
  };
}

export function enterStage(p: SourceProgress, stage: SourceStage, now: number): void {
  p.stage = stage;
  if (stage === 'normalizing') p.startedAt ??= now;
  if (stage === 'done' || stage === 'unchanged') p.etaSeconds = 0;
}

/** Rows through the pass the source is in: what a progress bar shows against `rowsTotal`. */
export function rowsDone(p: Pick<SourceProgress, 'stage' | 'rowsNormalized' | 'rowsLoaded' | 'rowsTotal'>): number {
  if (p.stage === 'normalizing') return p.rowsNormalized;
  if (p.stage === 'done' || p.stage === 'unchanged' || p.stage === 'reporting') return p.rowsTotal;
  return p.rowsLoaded;
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
  const ahead = Math.max(0, 2 * p.rowsTotal - through);
  p.etaSeconds = p.rowsPerSecond ? Math.ceil(ahead / p.rowsPerSecond) : null;
}

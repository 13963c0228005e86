import { advance, cityShare, enterStage, landed, pauseSources, rowsDone, secondsLeft, waitingSource, type SourceProgress } from '../../../workflows/province-progress';
import { exceedsThreshold } from '../../../activities/province/reject-threshold';

test('a source through both passes: rows, rate over both passes, time left counting the load still ahead', () => {
  const p = waitingSource('430100/persons/persons.csv');
  enterStage(p, 'landing', 0);
  p.rowsTotal = 1_000;
  enterStage(p, 'normalizing', 10_000);
  advance(p, 'normalize', 250, 3, 11_000);
  expect(p).toMatchObject({ rowsNormalized: 250, rowsPerSecond: 250, rejects: 3, batchesDone: 1 });
  // 750 to normalize and 1,000 to load at 250 rows/s
  expect(p.etaSeconds).toBe(7);
  expect(rowsDone(p)).toBe(250);
  advance(p, 'normalize', 750, 0, 13_000);
  enterStage(p, 'loading', 13_000);
  expect(rowsDone(p)).toBe(0);
  advance(p, 'load', 500, 2, 14_000);
  // 1,500 rows through both passes in 4 s; 500 still to load
  expect(p).toMatchObject({ rowsPerSecond: 375, etaSeconds: 2, rejects: 5, startedAt: 10_000 });
  expect(rowsDone(p)).toBe(500);
  enterStage(p, 'done', 15_000);
  expect(rowsDone(p)).toBe(1_000);
  expect(p.etaSeconds).toBe(0);
});

test('no rate before time has passed; the first pass keeps its start', () => {
  const p = waitingSource('k');
  p.rowsTotal = 10;
  enterStage(p, 'normalizing', 5);
  advance(p, 'normalize', 10, 0, 5);
  expect(p.rowsPerSecond).toBeNull();
  expect(p.etaSeconds).toBeNull();
  enterStage(p, 'normalizing', 99);
  expect(p.startedAt).toBe(5);
});

/** A city of two sources run as the workflow runs them, batches of uneven speed (a slow tail). */
function simulate(): { share: (number | null)[]; left: (number | null)[] } {
  const a = waitingSource('430100/employers/e.xlsx');
  const b = waitingSource('430100/persons/p.csv');
  const city = [a, b];
  const share: (number | null)[] = [];
  const left: (number | null)[] = [];
  let now = 0;
  // the reader looks every 300 ms while batches take 200…2,600 ms
  const look = (until: number) => {
    for (; now < until; now += 300) {
      share.push(cityShare(city));
      const current = city.find((s) => s.stage === 'normalizing' || s.stage === 'loading');
      left.push(current ? secondsLeft(current, now) : null);
    }
  };
  const runSource = (p: SourceProgress, rows: number, speeds: number[]) => {
    enterStage(p, 'landing', now);
    look(now + 900);
    landed(p, rows);
    enterStage(p, 'normalizing', now);
    let k = 0;
    for (const pass of ['normalize', 'load'] as const) {
      if (pass === 'load') enterStage(p, 'loading', now);
      for (let done = 0; done < rows; done += 100) {
        look(now + speeds[k++ % speeds.length]!);
        advance(p, pass, Math.min(100, rows - done), 1, now);
      }
    }
    enterStage(p, 'reporting', now);
    look(now + 300);
    enterStage(p, 'done', now);
  };
  runSource(a, 600, [200, 200, 900]);
  runSource(b, 1_000, [200, 400, 2_600, 300]);
  look(now + 600);
  return { share, left };
}

test('progress is monotone: no share before every total is known, then it only grows; time left only shrinks', () => {
  const { share, left } = simulate();
  // until the second source has landed the city's total is not known: no percentage
  const first = share.findIndex((s) => s !== null);
  expect(first).toBeGreaterThan(0);
  expect(share.slice(0, first).every((s) => s === null)).toBe(true);
  const known = share.slice(first) as number[];
  for (let i = 1; i < known.length; i++) expect(known[i]!).toBeGreaterThanOrEqual(known[i - 1]!);
  expect(known.at(-1)).toBe(1);
  // within a source the time left never grows, though its batches slow down
  const runs: number[][] = [[]];
  for (const l of left) {
    if (l === null) runs.push([]);
    else runs.at(-1)!.push(l);
  }
  const withEta = runs.filter((r) => r.length > 3);
  expect(withEta.length).toBeGreaterThanOrEqual(2);
  for (const r of withEta) for (let i = 1; i < r.length; i++) expect(r[i]!).toBeLessThanOrEqual(r[i - 1]!);
});

test('the share grows with every batch and never shows more than all of the rows', () => {
  // what the share would be if a source's total grew when its second stream is planned
  const p = waitingSource('k');
  landed(p, 1_000);
  enterStage(p, 'normalizing', 0);
  advance(p, 'normalize', 500, 0, 1_000);
  const before = cityShare([p]);
  advance(p, 'normalize', 500, 0, 2_000);
  expect(cityShare([p])).toBeGreaterThan(before!);
  // more rows done than landed (a range counted twice) never shows more than all of it
  advance(p, 'normalize', 500, 0, 3_000);
  expect(rowsDone(p)).toBe(1_000);
  expect(cityShare([p])).toBeLessThanOrEqual(0.5);
});

test('a pause stops the clock: the time left resumes where it stood, the rate leaves the pause out', () => {
  const p = waitingSource('k');
  landed(p, 1_000);
  enterStage(p, 'normalizing', 0);
  advance(p, 'normalize', 500, 0, 1_000);
  // 500 rows/s, 1,500 rows ahead: 3 s
  expect(secondsLeft(p, 1_000)).toBe(3);
  expect(secondsLeft(p, 2_000)).toBe(2);
  pauseSources([p], true, 2_000);
  pauseSources([p], true, 5_000); // a second pause signal does not move the start of the pause
  pauseSources([p], false, 62_000);
  expect(secondsLeft(p, 62_000)).toBe(2);
  expect(p.startedAt).toBe(60_000);
  advance(p, 'normalize', 500, 0, 63_000);
  expect(p.rowsPerSecond).toBe(333);
});

test.each([
  [{ read: 100, rejected: 5 }, { percent: 5 }, false],
  [{ read: 100, rejected: 6 }, { percent: 5 }, true],
  [{ read: 100, rejected: 10 }, { count: 10 }, false],
  [{ read: 100, rejected: 11 }, { count: 10 }, true],
  [{ read: 1000, rejected: 11 }, { count: 10, percent: 50 }, true],
  [{ read: 0, rejected: 0 }, { percent: 0 }, false],
])('reject threshold: %j against %j → over: %s', (counts, threshold, over) => {
  expect(exceedsThreshold(counts, threshold)).toBe(over);
});

import { advance, enterStage, rowsDone, waitingSource } from '../../../workflows/province-progress';
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

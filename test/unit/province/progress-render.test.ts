import type { CityProgress } from '../../../workflows/city-migration';
import { waitingSource } from '../../../workflows/province-progress';
import type { ProvinceView } from '../../../src/cli/progress';
import { barLines, cityFraction, formatDuration, plainLines, progressPrinter } from '../../../src/cli/progress-render';

const source = (over: Partial<ReturnType<typeof waitingSource>>) => ({ ...waitingSource('430100/persons/persons.csv'), ...over });

function view(changsha: CityProgress, over: Partial<ProvinceView['province']> = {}): ProvinceView {
  return {
    workflowId: 'province-migration/43',
    status: 'RUNNING',
    province: {
      provinceCode: '43',
      provinceName: '湖南省',
      stage: 'cities',
      paused: false,
      cities: [
        { cityCode: '430100', cityName: '长沙市', workflowId: 'w/city/430100', status: 'running' },
        { cityCode: '430200', cityName: '株洲市', workflowId: 'w/city/430200', status: 'waiting' },
      ],
      ...over,
    },
    cities: { '430100': changsha },
  };
}

const normalizing: CityProgress = {
  cityCode: '430100',
  paused: false,
  sources: [
    source({ stage: 'normalizing', rowsTotal: 20_000, rowsNormalized: 9_000, rowsPerSecond: 3_100, etaSeconds: 10, rejects: 31, batchesDone: 9, batchesTotal: 40 }),
    source({ sourceKey: '430100/moved/moved.csv' }),
  ],
};

test('a city line: stage, share of both passes, the source at work with rows, rate, time left and rejects', () => {
  expect(cityFraction(normalizing)).toBeCloseTo(9_000 / 40_000);
  expect(plainLines(view(normalizing))).toEqual([
    '430100 长沙市  normalizing  22%  persons/persons.csv: 9,000/20,000 rows, 3,100 rows/s, ETA 0:00:10, rejects 31  sources 0/2',
    '430200 株洲市  waiting  —',
  ]);
  expect(plainLines(view({ ...normalizing, paused: true }))[0]).toMatch(/^430100 长沙市 {2}paused {2}22%/);
});

test('terminal bars: a headline and a bar per city', () => {
  const [head, changsha, zhuzhou] = barLines(view(normalizing), 10);
  expect(head).toBe('湖南省 (43) province-migration/43: cities, cities done 0/2');
  expect(changsha).toMatch(/^ {2}430100 长沙市 {2}\[██░░░░░░░░\] {2}22% {2}normalizing /);
  expect(zhuzhou).toMatch(/\[░{10}\] {3}— {2}waiting/);
});

test('durations read h:mm:ss', () => {
  expect(formatDuration(0)).toBe('0:00:00');
  expect(formatDuration(3_725.4)).toBe('1:02:05');
});

test('not on a terminal: a timestamped line for each city whose line changed, no control codes', () => {
  let out = '';
  const print = progressPrinter({ write: (s: string) => (out += s) }, false, () => new Date('2026-11-29T08:00:01Z'));
  print(view(normalizing));
  print(view(normalizing));
  const later = { ...normalizing, sources: [{ ...normalizing.sources[0]!, rowsNormalized: 12_000 }, normalizing.sources[1]!] };
  print(view(later));
  const lines = out.trimEnd().split('\n');
  expect(lines).toEqual([
    '[08:00:01] 湖南省 (43) province-migration/43: cities, cities done 0/2',
    expect.stringMatching(/^\[08:00:01\] 430100 长沙市 {2}normalizing {2}22% {2}persons\/persons\.csv: 9,000\/20,000/),
    '[08:00:01] 430200 株洲市  waiting  —',
    expect.stringMatching(/^\[08:00:01\] 430100 长沙市 {2}normalizing {2}30% {2}persons\/persons\.csv: 12,000\/20,000/),
  ]);
  expect(out).not.toContain('\x1b[');
});

test('on a terminal: the block is redrawn in place', () => {
  let out = '';
  const print = progressPrinter({ write: (s: string) => (out += s) }, true);
  print(view(normalizing));
  expect(out.startsWith('\x1b[2K')).toBe(true);
  out = '';
  print(view(normalizing));
  expect(out.startsWith('\x1b[3A\x1b[2K')).toBe(true);
});

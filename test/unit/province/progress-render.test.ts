import type { CityProgress } from '../../../workflows/city-migration';
import { waitingSource } from '../../../workflows/province-progress';
import type { ProvinceView } from '../../../src/cli/progress';
import { barLines, cityFraction, formatDuration, plainLines, progressPrinter, watchLine } from '../../../src/cli/progress-render';

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
    source({ stage: 'normalizing', rowsTotal: 20_000, totalKnown: true, rowsNormalized: 9_000, rowsPerSecond: 3_100, etaSeconds: 10, finishAt: 10_000, rejects: 31, batchesDone: 9, batchesTotal: 40 }),
    source({ sourceKey: '430100/moved/moved.csv', stage: 'unchanged', totalKnown: true }),
  ],
};

test('a city line: stage, share of both passes, the source at work with rows, rate, time left and rejects', () => {
  expect(cityFraction(normalizing)).toBeCloseTo(9_000 / 40_000);
  expect(plainLines(view(normalizing), 0)).toEqual([
    '430100 长沙市  normalizing  22%  persons/persons.csv: 9,000/20,000 rows, 3,100 rows/s, ETA 0:00:10, rejects 31  sources 1/2',
    '430200 株洲市  waiting  —',
  ]);
  // the time left counts down between batches
  expect(plainLines(view(normalizing), 4_000)[0]).toContain('ETA 0:00:06');
});

test('paused: shown as paused, with rows and rejects but no rate and no time left', () => {
  for (const v of [view({ ...normalizing, paused: true }), view(normalizing, { paused: true })]) {
    const [line, waiting] = plainLines(v, 0);
    expect(line).toBe('430100 长沙市  paused  22%  persons/persons.csv: 9,000/20,000 rows, rejects 31  sources 1/2');
    expect(line).not.toMatch(/rows\/s|ETA/);
    expect(barLines(v, 10, 0)[1]).not.toMatch(/rows\/s|ETA/);
    if (v.province.paused) expect(waiting).toBe('430200 株洲市  paused  —');
  }
  expect(barLines(view(normalizing, { paused: true }), 10, 0)[0]).toBe('湖南省 (43) province-migration/43: paused, cities done 0/2');
});

test('no percentage while a source of the city has not landed: its total is not known yet', () => {
  const landing: CityProgress = { ...normalizing, sources: [normalizing.sources[0]!, source({ sourceKey: '430100/cases/c.csv', stage: 'landing', rowsLanded: 700 })] };
  expect(cityFraction(landing)).toBeNull();
  expect(plainLines(view(landing), 0)[0]).toMatch(/^430100 长沙市 {2}normalizing {2}— {2}persons/);
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
  // times are China Standard Time: 08:00:01 UTC is 16:00:01 in Shanghai
  print(view(normalizing));
  print(view(normalizing));
  const later = { ...normalizing, sources: [{ ...normalizing.sources[0]!, rowsNormalized: 12_000 }, normalizing.sources[1]!] };
  print(view(later));
  const lines = out.trimEnd().split('\n');
  expect(lines).toEqual([
    '[16:00:01] 湖南省 (43) province-migration/43: cities, cities done 0/2',
    expect.stringMatching(/^\[16:00:01\] 430100 长沙市 {2}normalizing {2}22% {2}persons\/persons\.csv: 9,000\/20,000/),
    '[16:00:01] 430200 株洲市  waiting  —',
    expect.stringMatching(/^\[16:00:01\] 430100 长沙市 {2}normalizing {2}30% {2}persons\/persons\.csv: 12,000\/20,000/),
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

test('status --watch, not on a terminal: exactly one timestamped line per refresh, changed or not', () => {
  let out = '';
  let t = Date.parse('2026-11-29T08:00:01Z');
  const print = progressPrinter({ write: (s: string) => (out += s) }, false, () => new Date(t), true);
  print(view(normalizing));
  t += 1_000;
  print(view(normalizing));
  const lines = out.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toBe(`[16:00:01] ${watchLine(view(normalizing), Date.parse('2026-11-29T08:00:01Z'))}`);
  expect(lines[0]).toMatch(/^\[16:00:01\] 湖南省 \(43\) province-migration\/43: cities, cities done 0\/2 \| 430100 长沙市 normalizing 22% persons\/persons\.csv: 9,000\/20,000 rows/);
  // a waiting city is left out of the one line
  expect(lines[0]).not.toContain('株洲市');
  expect(lines[1]).toMatch(/^\[16:00:02\] /);
  expect(out).not.toContain('\x1b[');
});

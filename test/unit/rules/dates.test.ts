import { parseDate, parsePeriod, type DateOptions } from '../../../src/domain/rules/dates';
import { codesOf, valueOf } from './helpers';

const LOAD = '2025-06-30';
const opts: DateOptions = { loadDate: LOAD };
const date = (raw: Parameters<typeof parseDate>[0], o: Partial<DateOptions> = {}) => parseDate(raw, { ...opts, ...o });
const period = (raw: Parameters<typeof parsePeriod>[0], o: Partial<DateOptions> = {}) => parsePeriod(raw, { ...opts, ...o });

describe('parseDate', () => {
  describe('Excel serials, 1900 system', () => {
    it.each([
      [42908, '2017-06-22'],
      [42908.75, '2017-06-22'], // the fraction is the time of day
      [18264, '1950-01-01'],
      [36585, '2000-02-29'],
      [45838, '2025-06-30'],
    ])('%p → %s', (serial, iso) => {
      expect(date(serial)).toEqual({ ok: true, value: iso, warnings: [] });
    });

    it('counts the phantom 1900-02-29: serial 61 is 1900-03-01 (out of range, but the right day)', () => {
      expect(date(61, { loadDate: LOAD })).toEqual({ ok: false, reasons: [{ code: 'date.range', detail: '1900-03-01' }] });
      expect(date(59)).toEqual({ ok: false, reasons: [{ code: 'date.range', detail: '1900-02-28' }] });
      expect(date(1)).toEqual({ ok: false, reasons: [{ code: 'date.range', detail: '1900-01-01' }] });
    });

    it('refuses serial 60, the phantom 1900-02-29 itself, as not a real date', () => {
      expect(codesOf(date(60))).toEqual(['date.format']);
    });

    it.each([
      ['0 (1900-01-00)', 0],
      ['a negative serial', -1],
      ['a serial past 9999-12-31', 2958466.5],
      ['NaN', NaN],
    ])('refuses %s with date.format', (_label, serial) => {
      expect(codesOf(date(serial))).toEqual(['date.format']);
    });

    it('refuses a serial before 1950 or after the load date with date.range', () => {
      expect(codesOf(date(18263))).toEqual(['date.range']);
      expect(codesOf(date(45839))).toEqual(['date.range']);
    });
  });

  describe('Excel serials, 1904 system', () => {
    it('counts from 1904-01-01 when the workbook says so', () => {
      expect(valueOf(date(41446, { date1904: true }))).toBe('2017-06-22');
      expect(valueOf(date(16802, { date1904: true }))).toBe('1950-01-01');
      expect(date(0, { date1904: true })).toEqual({ ok: false, reasons: [{ code: 'date.range', detail: '1904-01-01' }] });
    });
    it('has no phantom day: serial 60 is a date like any other', () => {
      expect(date(60, { date1904: true })).toEqual({ ok: false, reasons: [{ code: 'date.range', detail: '1904-03-01' }] });
    });
  });

  describe('text forms', () => {
    it.each([
      ['YYYY-MM-DD', '2017-06-22'],
      ['YYYY-M-D', '2017-6-22'],
      ['YYYY/M/D', '2017/6/22'],
      ['YYYY/MM/DD', '2017/06/22'],
      ['YYYY.M.D', '2017.6.22'],
      ['YYYYMMDD', '20170622'],
      ['YYYY年M月D日', '2017年6月22日'],
      ['YYYY年MM月DD日 with spaces', '2017 年 06 月 22 日'],
      ['YYYY年M月D号', '2017年6月22号'],
      ['full-width digits', '２０１７－０６－２２'],
      ['U+3000 around it', '\u30002017-06-22\u3000'],
      ['an SQL timestamp', '2017-06-22 13:45:00'],
      ['an SQL timestamp with fraction', '2017-06-22 13:45:00.123456'],
      ['a timestamptz', '2017-06-22 13:45:00+08'],
      ['an ISO timestamp', '2017-06-22T13:45:00Z'],
      ['a timestamp without seconds', '2017/6/22 8:05'],
    ])('accepts %s', (_label, raw) => {
      expect(valueOf(date(raw))).toBe('2017-06-22');
    });

    it.each([
      ['Feb 30', '2018-02-30'],
      ['Feb 29 in a common year', '2019-02-29'],
      ['month 13', '2017-13-01'],
      ['day 32', '2017-01-32'],
      ['the MySQL zero date', '0000-00-00'],
      ['a zero timestamp', '0000-00-00 00:00:00'],
      ['mixed separators', '2017-06/22'],
      ['a two-digit year', '17-06-22'],
      ['day first', '22/06/2017'],
      ['a month only', '2017-06'],
      ['an hour 24', '2017-06-22 24:00:00'],
      ['words', '不详'],
      ['a serial as text (style auto)', '42908'],
      ['empty text', ''],
      ['null', null],
      ['a boolean', true],
    ])('refuses %s with date.format', (_label, raw) => {
      expect(codesOf(date(raw))).toEqual(['date.format']);
    });

    it('accepts Feb 29 in a leap year', () => {
      expect(valueOf(date('2020-02-29'))).toBe('2020-02-29');
    });
  });

  describe('range', () => {
    it('accepts 1950-01-01 and the load date itself', () => {
      expect(valueOf(date('1950-01-01'))).toBe('1950-01-01');
      expect(valueOf(date(LOAD))).toBe(LOAD);
    });
    it('refuses 1949-12-31 and the day after the load date with date.range', () => {
      expect(date('1949-12-31')).toEqual({ ok: false, reasons: [{ code: 'date.range', detail: '1949-12-31' }] });
      expect(codesOf(date('2025-07-01'))).toEqual(['date.range']);
    });
  });

  describe('declared styles', () => {
    it('auto: an 8-digit number is past every serial, so it is read as YYYYMMDD', () => {
      expect(valueOf(date(20170622))).toBe('2017-06-22');
    });
    it('yyyymmdd: a numeric cell holds the digits', () => {
      expect(valueOf(date(20170622, { style: 'yyyymmdd' }))).toBe('2017-06-22');
      expect(codesOf(date(42908, { style: 'yyyymmdd' }))).toEqual(['date.format']);
      expect(codesOf(date(20170622.5, { style: 'yyyymmdd' }))).toEqual(['date.format']);
      expect(codesOf(date(20180230, { style: 'yyyymmdd' }))).toEqual(['date.format']);
    });
    it('yyyymmdd: text forms still parse', () => {
      expect(valueOf(date('2017-06-22', { style: 'yyyymmdd' }))).toBe('2017-06-22');
    });
    it('excel_serial: text holding a plain number is a serial', () => {
      expect(valueOf(date('42908', { style: 'excel_serial' }))).toBe('2017-06-22');
      expect(valueOf(date('42908.5', { style: 'excel_serial' }))).toBe('2017-06-22');
      expect(valueOf(date(42908, { style: 'excel_serial' }))).toBe('2017-06-22');
      expect(valueOf(date('2017-06-22', { style: 'excel_serial' }))).toBe('2017-06-22');
    });
  });
});

describe('parsePeriod', () => {
  it.each([
    ['YYYYMM text', '201706'],
    ['YYYYMM number', 201706],
    ['YYYY-MM', '2017-06'],
    ['YYYY-M', '2017-6'],
    ['YYYY/MM', '2017/06'],
    ['YYYY.M', '2017.6'],
    ['YYYY年M月', '2017年6月'],
    ['YYYY年M月份', '2017年6月份'],
    ['full-width', '２０１７年０６月'],
    ['a date: its month', '2017-06-22'],
    ['a Chinese date', '2017年6月22日'],
    ['YYYYMMDD', '20170622'],
    ['an Excel serial', 42908],
    ['a timestamp', '2017-06-22 00:00:00'],
  ])('accepts %s', (_label, raw) => {
    expect(period(raw)).toEqual({ ok: true, value: '2017-06', warnings: [] });
  });

  it('reads numbers as the declared style says', () => {
    expect(valueOf(period(20170622, { style: 'yyyymmdd' }))).toBe('2017-06');
    expect(valueOf(period(41446, { date1904: true }))).toBe('2017-06');
    // declared serials: 201706 is then a serial (a date in 2452), out of range
    expect(codesOf(period(201706, { style: 'excel_serial' }))).toEqual(['date.range']);
  });

  it.each([
    ['month 13', '201713'],
    ['month 00', '2017-00'],
    ['month 13 in Chinese', '2017年13月'],
    ['an impossible date', '2017-02-30'],
    ['a year only', '2017'],
    ['five digits', '20176'],
    ['empty', ''],
    ['null', null],
    ['words', '六月'],
  ])('refuses %s with date.format', (_label, raw) => {
    expect(codesOf(period(raw))).toEqual(['date.format']);
  });

  it('is in range from 1950-01 through the load date month', () => {
    expect(valueOf(period('195001'))).toBe('1950-01');
    expect(valueOf(period('2025-06'))).toBe('2025-06');
    expect(valueOf(period('2025-06-30'))).toBe('2025-06');
    expect(period('194912')).toEqual({ ok: false, reasons: [{ code: 'date.range', detail: '1949-12' }] });
    expect(codesOf(period('2025-07'))).toEqual(['date.range']);
    expect(codesOf(period('2025-07-01'))).toEqual(['date.range']);
  });

  it('compares by month: a later day in the load month is still in range', () => {
    expect(valueOf(period('2025-06-30', { loadDate: '2025-06-01' }))).toBe('2025-06');
  });
});

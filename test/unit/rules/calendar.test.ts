import { civilFromDays, daysFromCivil, daysInMonth, formatYmd, isLeapYear, isRealDate } from '../../../src/domain/rules/calendar';

describe('calendar', () => {
  it('knows the Gregorian leap years', () => {
    expect([1900, 2000, 2016, 2019, 2100].map(isLeapYear)).toEqual([false, true, true, false, false]);
  });
  it('knows month lengths', () => {
    expect([1, 2, 4, 12].map((m) => daysInMonth(2019, m))).toEqual([31, 28, 30, 31]);
    expect(daysInMonth(2020, 2)).toBe(29);
  });
  it('accepts only real dates in years 1–9999', () => {
    expect(isRealDate(2020, 2, 29)).toBe(true);
    expect(isRealDate(2018, 2, 30)).toBe(false);
    expect(isRealDate(0, 1, 1)).toBe(false);
    expect(isRealDate(2018, 0, 1)).toBe(false);
    expect(isRealDate(2018, 1, 0)).toBe(false);
    expect(isRealDate(2018, 1.5, 1)).toBe(false);
  });
  it('pads to YYYY-MM-DD', () => {
    expect(formatYmd(950, 1, 2)).toBe('0950-01-02');
  });
  it('counts days from 1970-01-01 both ways', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2017, 6, 22)).toBe(17339);
    expect(daysFromCivil(1899, 12, 30)).toBe(-25569);
    for (const days of [-719162, -25569, 0, 17339, 2932896]) {
      const { y, m, d } = civilFromDays(days);
      expect(daysFromCivil(y, m, d)).toBe(days);
    }
    expect(civilFromDays(17339)).toEqual({ y: 2017, m: 6, d: 22 });
  });
});

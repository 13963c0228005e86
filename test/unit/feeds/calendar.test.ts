import { addMonths, closedMonthsDue, cstDate, cstMonth, monthRange, monthsBetween } from '../../../src/feeds/calendar';

describe('China Standard Time dates', () => {
  it('a run at 00:30 local on the 1st belongs to the 1st, not the previous UTC day', () => {
    expect(cstDate(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
    expect(cstMonth(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12');
    expect(cstDate(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11-30');
  });
});

describe('months', () => {
  it('steps across years both ways', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-03', -15)).toBe('2024-12');
    expect(() => addMonths('2026-13', 1)).toThrow(RangeError);
  });

  it('lists the months between two, inclusive', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-03', '2026-02')).toEqual([]);
  });

  it('gives the first and last day, leap Februaries included', () => {
    expect(monthRange('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthRange('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthRange('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
});

describe('closed months a monthly feed owes', () => {
  const asOf = new Date('2026-04-02T01:00:00+08:00');
  it('from the first month up to the month before the run', () => {
    expect(closedMonthsDue(asOf, '2026-01', null)).toEqual(['2026-01', '2026-02', '2026-03']);
  });
  it('after the last month sent: a missed month is caught up, a sent one never again', () => {
    expect(closedMonthsDue(asOf, '2026-01', '2026-01')).toEqual(['2026-02', '2026-03']);
    expect(closedMonthsDue(asOf, '2026-01', '2026-03')).toEqual([]);
  });
  it('nothing before the first month, nothing for the current month', () => {
    expect(closedMonthsDue(asOf, '2026-04', null)).toEqual([]);
    expect(closedMonthsDue(asOf, '2026-03', '2025-06')).toEqual(['2026-03']);
  });
});

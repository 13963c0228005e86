import { compareCursor, cursorOf, maxCursor, sinceCursor } from '../../../src/feeds/cursor';

it('orders sequence cursors numerically, not as text', () => {
  expect(compareCursor('9', '10')).toBeLessThan(0);
  expect(compareCursor('12345678901234567890', '12345678901234567891')).toBeLessThan(0);
  expect(maxCursor(['9', '10', null, '2'])).toBe('10');
});

it('orders time cursors by instant whatever their zone', () => {
  expect(compareCursor('2026-11-01T08:00:00+08:00', '2026-11-01T01:00:00Z')).toBeLessThan(0);
  expect(maxCursor(['2026-11-01T08:00:00+08:00', '2026-11-01T00:30:00Z'])).toBe('2026-11-01T00:30:00Z');
});

it('moves a time watermark back by the look-back, never a sequence', () => {
  expect(sinceCursor('2026-11-01T08:00:00Z', 3_600_000)).toBe('2026-11-01T07:00:00.000Z');
  expect(sinceCursor('42', 3_600_000)).toBe('42');
  expect(sinceCursor(null, 3_600_000)).toBeNull();
  expect(sinceCursor('2026-11-01T08:00:00Z', undefined)).toBe('2026-11-01T08:00:00Z');
});

it('reads a record field as cursor text', () => {
  expect(cursorOf({ seq: 7 }, 'seq')).toBe('7');
  expect(cursorOf({ at: '2026-01-01' }, 'at')).toBe('2026-01-01');
  expect(cursorOf({ at: '' }, 'at')).toBeNull();
  expect(cursorOf(null, 'at')).toBeNull();
});

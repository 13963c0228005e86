import { normalizeDivisionCode } from '../../../src/domain/rules/division-code';
import { codesOf, valueOf } from './helpers';

describe('normalizeDivisionCode', () => {
  it.each([
    ['text', '370802', '370802'],
    ['a numeric cell', 370802, '370802'],
    ['the province itself', '370000', '370000'],
    ['full width with U+3000', '\u3000３７０８０２', '370802'],
  ])('accepts %s in the province', (_label, raw, code) => {
    expect(valueOf(normalizeDivisionCode(raw, '37'))).toBe(code);
  });

  it.each([
    ['another province', '410102'],
    ['5 digits', '37080'],
    ['7 digits', '3708021'],
    ['a letter', '37080A'],
    ['empty', ''],
    ['null', null],
    ['a fraction', 370802.5],
  ])('rejects %s with division_code.unknown', (_label, raw) => {
    expect(codesOf(normalizeDivisionCode(raw, '37'))).toEqual(['division_code.unknown']);
  });

  it('throws on a malformed province prefix: a configuration error, not bad data', () => {
    expect(() => normalizeDivisionCode('370802', '3')).toThrow(RangeError);
  });
});

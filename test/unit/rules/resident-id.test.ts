import { genderWarning, normalizeIdNumber } from '../../../src/domain/rules/resident-id';
import { codesOf as codes, valueOf as value } from './helpers';

const LOAD = '2025-06-30';

describe('normalizeIdNumber', () => {
  it('accepts a valid 18-digit ID and derives birth date and gender', () => {
    expect(normalizeIdNumber('110105198001010016', LOAD)).toEqual({
      ok: true,
      value: { id: '110105198001010016', birthDate: '1980-01-01', gender: 'M' },
      warnings: [],
    });
  });

  it.each([
    ['370802940221002', '370802199402210029', '1994-02-21', 'F'],
    ['412727710712706', '41272719710712706X', '1971-07-12', 'F'],
    ['110105800101001', '110105198001010016', '1980-01-01', 'M'],
  ])('upgrades the 15-digit ID %s to %s', (raw, id, birthDate, gender) => {
    expect(value(normalizeIdNumber(raw, LOAD))).toEqual({ id, birthDate, gender });
  });

  it('reads a 15-digit ID stored as a numeric cell as its digits', () => {
    expect(value(normalizeIdNumber(370802940221002, LOAD)).id).toBe('370802199402210029');
  });

  it('refuses an 18-digit number cell: its last digits were lost by the spreadsheet', () => {
    expect(codes(normalizeIdNumber(370802199402210000, LOAD))).toEqual(['id_number.format']);
  });

  it('folds full-width digits and letters and trims U+3000 and ordinary spaces', () => {
    expect(value(normalizeIdNumber('\u3000４１２７２７１９７１０７１２７０６ｘ\u3000 ', LOAD)).id).toBe('41272719710712706X');
    expect(value(normalizeIdNumber(' ３７０８０２９４０２２１００２\t', LOAD)).id).toBe('370802199402210029');
  });

  it('upper-cases a lower-case x check character', () => {
    expect(value(normalizeIdNumber('41272719710712706x', LOAD)).id).toBe('41272719710712706X');
  });

  it('rejects a wrong check character with id_number.checksum only', () => {
    const r = normalizeIdNumber('370802199402210028', LOAD);
    expect(codes(r)).toEqual(['id_number.checksum']);
    expect(r.ok ? '' : r.reasons[0]?.detail).toContain('should be 9');
  });

  it('rejects an X check character where a digit is due', () => {
    expect(codes(normalizeIdNumber('11010519800101001X', LOAD))).toEqual(['id_number.checksum']);
  });

  it('rejects an impossible birth date (Feb 30) even with a correct check character', () => {
    expect(codes(normalizeIdNumber('320106199902300010', LOAD))).toEqual(['id_number.birth_date']);
  });

  it('accepts Feb 29 in a leap year', () => {
    expect(value(normalizeIdNumber('440304200002291236', LOAD)).birthDate).toBe('2000-02-29');
  });

  it('rejects an impossible birth date in an upgraded 15-digit ID', () => {
    // 15-digit IDs always get a correct check character, so only the date can fail
    expect(codes(normalizeIdNumber('320106990230001', LOAD))).toEqual(['id_number.birth_date']);
  });

  it('reports checksum and birth date together when both are wrong', () => {
    expect(codes(normalizeIdNumber('320106199902300011', LOAD))).toEqual(['id_number.checksum', 'id_number.birth_date']);
  });

  it('rejects a birth before 1900-01-01 and accepts 1900-01-01 itself', () => {
    expect(codes(normalizeIdNumber('110105189912310015', LOAD))).toEqual(['id_number.birth_date']);
    expect(value(normalizeIdNumber('440304190001010010', LOAD)).birthDate).toBe('1900-01-01');
  });

  it('rejects a birth after the load date and accepts one on the load date', () => {
    expect(codes(normalizeIdNumber('110105202601010019', LOAD))).toEqual(['id_number.birth_date']);
    expect(value(normalizeIdNumber('110105202401010014', '2024-01-01')).birthDate).toBe('2024-01-01');
    expect(codes(normalizeIdNumber('110105202401010014', '2023-12-31'))).toEqual(['id_number.birth_date']);
  });

  it.each([
    ['17 digits', '11010519800101001'],
    ['19 digits', '1101051980010100160'],
    ['16 digits', '1101051980010100'],
    ['a letter inside', '1101051980A1010016'],
    ['X before the end', '11010519800101X016'],
    ['X on a 15-digit ID', '37080294022100X'],
    ['an inner space', '110105 198001010016'],
    ['a hyphen', '110105-19800101-0016'],
    ['empty text', ''],
    ['only U+3000', '\u3000\u3000'],
  ])('rejects %s with id_number.format and nothing else', (_label, raw) => {
    // a digit string whose date and check are also wrong must still carry only the format reason
    expect(codes(normalizeIdNumber(raw, LOAD))).toEqual(['id_number.format']);
  });

  it.each([
    ['null', null],
    ['a boolean', true],
    ['a fractional number', 370802940221002.5],
    ['a negative number', -370802940221002],
    ['a short number', 12345],
  ])('rejects %s cell with id_number.format', (_label, raw) => {
    expect(codes(normalizeIdNumber(raw, LOAD))).toEqual(['id_number.format']);
  });

  it('derives gender from the 17th digit: odd male, even female', () => {
    expect(value(normalizeIdNumber('110105198001010016', LOAD)).gender).toBe('M');
    expect(value(normalizeIdNumber('370802199402210029', LOAD)).gender).toBe('F');
  });
});

describe('genderWarning', () => {
  it('warns when the source gender disagrees with the ID', () => {
    expect(genderWarning('F', 'M')).toEqual(['gender.conflict']);
    expect(genderWarning('M', 'F')).toEqual(['gender.conflict']);
  });
  it('is silent when they agree', () => {
    expect(genderWarning('M', 'M')).toEqual([]);
    expect(genderWarning('F', 'F')).toEqual([]);
  });
  it('is silent for a blank source gender', () => {
    expect(genderWarning(null, 'M')).toEqual([]);
  });
});

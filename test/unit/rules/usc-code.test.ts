import { normalizeUscCode, uscCheckChar } from '../../../src/domain/rules/usc-code';
import { USC_CHECKSUM_EXCEPTIONS } from '../../../mappings/province/usc-checksum-exceptions';
import { codesOf, valueOf, warningsOf } from './helpers';

const NONE: ReadonlySet<string> = new Set();

describe('normalizeUscCode', () => {
  it.each([
    ['the GB 32100 example', '91350100M000100Y43'],
    ['a check character 0', '91370000MA3C5XY01Y'],
    ['a letter check character', '91110000600037341L'],
    ['authority 1 (机构编制)', '11100000000013127D'],
    ['authority 5 (民政) with check X', '52370100500001001X'],
    ['authority Y (其他)', 'Y1110000MA01ABCD10'],
  ])('accepts %s', (_label, code) => {
    expect(normalizeUscCode(code, NONE)).toEqual({ ok: true, value: code, warnings: [] });
  });

  it.each([
    ['2 (外交)', '21110000MA01ABCD1W'],
    ['3 (司法行政)', '31370000MA01ABCD12'],
    ['A (军队编制)', 'A1110000MA01ABCD1L'],
    ['N (农业)', 'N1110000MA01ABCD18'],
  ])('accepts registering authority %s added by the 2016 amendment', (_label, code) => {
    expect(valueOf(normalizeUscCode(code, NONE))).toBe(code);
  });

  it('trims (U+3000 too), folds full width and upper-cases', () => {
    expect(valueOf(normalizeUscCode('\u3000９１３５０１００ｍ０００１００ｙ４３ ', NONE))).toBe('91350100M000100Y43');
    expect(valueOf(normalizeUscCode('91350100m000100y43', NONE))).toBe('91350100M000100Y43');
  });

  it('rejects a wrong check character with usc_code.checksum and names the right one', () => {
    const r = normalizeUscCode('91350100M000100Y44', NONE);
    expect(codesOf(r)).toEqual(['usc_code.checksum']);
    expect(r.ok ? '' : r.reasons[0]?.detail).toContain('should be 3');
  });

  it.each([
    ['17 characters', '91350100M000100Y4'],
    ['19 characters', '91350100M000100Y433'],
    ['I (not in the alphabet)', '91350100I000100Y43'],
    ['O', '91350100O000100Y43'],
    ['Z', '91350100Z000100Y43'],
    ['S', '91350100S000100Y43'],
    ['V', '91350100V000100Y43'],
    ['authority 0', '01370000MA01ABCD15'],
    ['authority B (in the alphabet, not an authority)', 'B1110000MA01ABCD10'],
    ['an inner space', '9135 0100M000100Y43'],
    ['a hyphen', '91350100-M000100Y43'],
    ['empty text', ''],
  ])('rejects %s with usc_code.format only', (_label, code) => {
    expect(codesOf(normalizeUscCode(code, NONE))).toEqual(['usc_code.format']);
  });

  it('rejects null, a boolean and a number', () => {
    expect(codesOf(normalizeUscCode(null, NONE))).toEqual(['usc_code.format']);
    expect(codesOf(normalizeUscCode(true, NONE))).toEqual(['usc_code.format']);
    expect(codesOf(normalizeUscCode(913501001000100000, NONE))).toEqual(['usc_code.format']);
  });

  describe('the checksum-exception list', () => {
    const pilot = '91350100M0001TGQXM'; // Fujian pilot-era code; its computed check would be 1
    const list = new Set([pilot]);

    it('accepts a listed code that fails the check, with warning usc_code.exception', () => {
      const r = normalizeUscCode(pilot, list);
      expect(valueOf(r)).toBe(pilot);
      expect(warningsOf(r)).toEqual(['usc_code.exception']);
    });
    it('matches the list after normalization', () => {
      expect(warningsOf(normalizeUscCode(' 91350100m0001tgqxm', list))).toEqual(['usc_code.exception']);
    });
    it('rejects the same code when it is not listed', () => {
      expect(codesOf(normalizeUscCode(pilot, NONE))).toEqual(['usc_code.checksum']);
    });
    it('does not warn for a listed code whose check is right', () => {
      expect(warningsOf(normalizeUscCode('91350100M000100Y43', new Set(['91350100M000100Y43'])))).toEqual([]);
    });
    it('does not excuse a format error', () => {
      expect(codesOf(normalizeUscCode('91350100M0001TGQXZ', new Set(['91350100M0001TGQXZ'])))).toEqual(['usc_code.format']);
    });
  });

  it('ships a placeholder province list of normalized, well-formed codes', () => {
    for (const code of USC_CHECKSUM_EXCEPTIONS) expect(code).toMatch(/^[0-9A-HJ-NPQRTUWXY]{18}$/);
  });
});

describe('uscCheckChar', () => {
  it('maps a remainder of 0 to the check character 0 (31 → 0)', () => {
    expect(uscCheckChar('91370000MA3C5XY01')).toBe('Y');
    expect(uscCheckChar('91350100M000100Y4')).toBe('3');
  });
});

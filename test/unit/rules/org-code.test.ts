import { normalizeOrgCode, orgCheckChar } from '../../../src/domain/rules/org-code';
import { codesOf, valueOf } from './helpers';

describe('normalizeOrgCode', () => {
  it.each([
    ['with the hyphen', 'M000100Y-4', 'M000100Y4'],
    ['without the hyphen', 'M000100Y4', 'M000100Y4'],
    ['check X', 'D2143569-X', 'D2143569X'],
    ['check 0 (11 → 0)', '10000004-0', '100000040'],
    ['lower case, full width, U+3000', '\u3000ｄ２１４３５６９－ｘ', 'D2143569X'],
    ['all digits', '12345678-8', '123456788'],
  ])('accepts a code %s and stores 9 characters', (_label, raw, stored) => {
    expect(valueOf(normalizeOrgCode(raw))).toBe(stored);
  });

  it('reads an all-digit numeric cell as its digits', () => {
    expect(valueOf(normalizeOrgCode(123456788))).toBe('123456788');
  });

  it('rejects a wrong check character with org_code.checksum', () => {
    expect(codesOf(normalizeOrgCode('D2143569-1'))).toEqual(['org_code.checksum']);
    expect(codesOf(normalizeOrgCode('123456789'))).toEqual(['org_code.checksum']);
  });

  it.each([
    ['8 characters', '12345678'],
    ['10 characters', '1234567890'],
    ['two hyphens', '1234-5678-8'],
    ['a hyphen elsewhere', '1234567-88'],
    ['a letter check other than X', '12345678-A'],
    ['punctuation', '1234567*-8'],
    ['empty', ''],
    ['null', null],
  ])('rejects %s with org_code.format', (_label, raw) => {
    expect(codesOf(normalizeOrgCode(raw))).toEqual(['org_code.format']);
  });
});

describe('orgCheckChar', () => {
  it('weights letters as 10–35', () => {
    expect(orgCheckChar('M000100Y')).toBe('4');
    expect(orgCheckChar('MA3C5XY0')).toBe('7');
  });
});

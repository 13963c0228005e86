import {
  cellText,
  cleanCell,
  collapseSpaces,
  compactText,
  identifierText,
  isBlankCell,
  numberText,
  toHalfWidth,
  trimText,
  unifyMiddleDots,
} from '../../../src/domain/rules/text';

describe('trimText', () => {
  it('trims ASCII white space, U+3000, U+00A0 and a BOM, and keeps inner spaces', () => {
    expect(trimText('\u3000\u00A0\uFEFF a b \t\r\n\u3000')).toBe('a b');
  });
});

describe('toHalfWidth', () => {
  it('folds the whole full-width ASCII block and U+3000', () => {
    expect(toHalfWidth('！０９ＡＺａｚ（）～\u3000')).toBe('!09AZaz()~ ');
  });
  it('leaves CJK text and the yen sign alone', () => {
    expect(toHalfWidth('张三￥')).toBe('张三￥');
  });
});

describe('collapseSpaces', () => {
  it('turns each run of white space into one ASCII space', () => {
    expect(collapseSpaces('a \t\u3000 b\n\nc')).toBe('a b c');
  });
});

describe('unifyMiddleDots', () => {
  it('replaces a look-alike only between two CJK characters', () => {
    expect(unifyMiddleDots('买买提\u30FB艾力 and A\u30FBB')).toBe('买买提·艾力 and A\u30FBB');
  });
});

describe('numberText', () => {
  it.each([
    [1234.5, '1234.5'],
    [0.1, '0.1'],
    [-0.25, '-0.25'],
    [1e21, '1000000000000000000000'],
    [1.5e21, '1500000000000000000000'],
    [1e-7, '0.0000001'],
    [-2.5e-8, '-0.000000025'],
    [370802940221002, '370802940221002'],
  ])('%p → %s', (n, text) => {
    expect(numberText(n)).toBe(text);
  });
});

describe('cell helpers', () => {
  it('cellText keeps null and writes numbers and booleans as text', () => {
    expect(cellText(null)).toBeNull();
    expect(cellText(12)).toBe('12');
    expect(cellText(false)).toBe('false');
  });
  it('cleanCell trims and folds width; an empty cell is ""', () => {
    expect(cleanCell(' ＡＢ１\u3000')).toBe('AB1');
    expect(cleanCell(null)).toBe('');
  });
  it('isBlankCell: null or white space only, never a number', () => {
    expect(isBlankCell(null)).toBe(true);
    expect(isBlankCell(' \u3000\t')).toBe(true);
    expect(isBlankCell(0)).toBe(false);
    expect(isBlankCell(false)).toBe(false);
    expect(isBlankCell('0')).toBe(false);
  });
  it('identifierText upper-cases after folding', () => {
    expect(identifierText(' ９１ａｂ ')).toBe('91AB');
  });
  it('identifierText reads only exact non-negative integers from numeric cells', () => {
    expect(identifierText(370802940221002)).toBe('370802940221002');
    expect(identifierText(370802199402210000)).toBe(''); // beyond 2^53: digits already lost
    expect(identifierText(12.5)).toBe('');
    expect(identifierText(-1)).toBe('');
    expect(identifierText(true)).toBe('');
  });
  it('compactText removes every white space', () => {
    expect(compactText('合  计\u3000')).toBe('合计');
  });
});

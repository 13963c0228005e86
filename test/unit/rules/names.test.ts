import { normalizeName } from '../../../src/domain/rules/names';
import { valueOf } from './helpers';

const name = (raw: Parameters<typeof normalizeName>[0]): string => valueOf(normalizeName(raw));

describe('normalizeName', () => {
  it('trims ASCII and U+3000 white space', () => {
    expect(name('\u3000 张三\t\u3000')).toBe('张三');
  });

  it('collapses each run of inner white space to one ASCII space', () => {
    expect(name('某某  建筑\u3000\u3000有限\t公司')).toBe('某某 建筑 有限 公司');
    expect(name('John\u00A0\u00A0Smith')).toBe('John Smith');
  });

  it('folds full-width ASCII to half-width', () => {
    expect(name('某某科技（有限公司）')).toBe('某某科技(有限公司)');
    expect(name('ＡＢＣ１２３')).toBe('ABC123');
  });

  it.each([
    ['U+2022 bullet', '买买提\u2022艾力'],
    ['U+30FB katakana middle dot (GB2312 A1A4)', '买买提\u30FB艾力'],
    ['U+FF65 half-width katakana middle dot', '买买提\uFF65艾力'],
    ['U+FF0E full-width full stop', '买买提\uFF0E艾力'],
    ['U+002E full stop', '买买提.艾力'],
    ['U+2027 hyphenation point', '买买提\u2027艾力'],
    ['U+2219 bullet operator', '买买提\u2219艾力'],
    ['U+00B7 already', '买买提·艾力'],
  ])('unifies %s between CJK characters to U+00B7', (_label, raw) => {
    expect(name(raw)).toBe('买买提·艾力');
  });

  it('unifies every dot in a multi-part name', () => {
    expect(name('阿卜杜拉・买买提•艾力')).toBe('阿卜杜拉·买买提·艾力');
  });

  it('leaves dots that are not between two CJK characters alone', () => {
    expect(name('Co.Ltd')).toBe('Co.Ltd');
    expect(name('某某公司.')).toBe('某某公司.');
    expect(name('3.5号仓库')).toBe('3.5号仓库');
    expect(name('A\u30FB张')).toBe('A\u30FB张');
  });

  it.each([
    ['null', null],
    ['empty text', ''],
    ['white space only', ' \t\u3000 '],
  ])('rejects %s with name.missing', (_label, raw) => {
    expect(normalizeName(raw)).toEqual({ ok: false, reasons: [{ code: 'name.missing' }] });
  });

  it('reads a numeric cell as its text', () => {
    expect(name(3)).toBe('3');
  });
});

import {
  parseDisabilityGrade,
  parseNursingLevel,
  parseRiskClass,
  riskClassFromCrosswalk,
  riskClassFromIndustry,
  translateCode,
} from '../../../src/domain/rules/codes';
import type { RiskClass } from '../../../mappings/province/enumerations';
import { codesOf, valueOf } from './helpers';

describe('translateCode', () => {
  const genders = { '1': 'M', '2': 'F', 男: 'M', 女: 'F' } as const;

  it('translates by the trimmed, half-width text of the cell', () => {
    expect(valueOf(translateCode('男', genders, 'gender'))).toBe('M');
    expect(valueOf(translateCode('\u3000女 ', genders, 'gender'))).toBe('F');
    expect(valueOf(translateCode('２', genders, 'gender'))).toBe('F');
  });

  it('looks a numeric cell up by its text', () => {
    expect(valueOf(translateCode(1, genders, 'gender'))).toBe('M');
  });

  it('refuses an untranslated value with code.unmapped naming the column and the raw value', () => {
    expect(translateCode('3', genders, 'gender')).toEqual({
      ok: false,
      reasons: [{ code: 'code.unmapped', field: 'gender', detail: '3' }],
    });
  });

  it('refuses keys of Object.prototype', () => {
    expect(codesOf(translateCode('constructor', genders, 'gender'))).toEqual(['code.unmapped']);
    expect(codesOf(translateCode('toString', genders, 'gender'))).toEqual(['code.unmapped']);
  });

  it('looks an empty cell up as "" so a table may give it a meaning', () => {
    expect(codesOf(translateCode(null, genders, 'gender'))).toEqual(['code.unmapped']);
    expect(valueOf(translateCode(' ', { '': 'none' }, 'status'))).toBe('none');
  });
});

describe('parseRiskClass', () => {
  it.each([
    ['1', '1'], ['8', '8'], [3, '3'], ['３', '3'], ['4类', '4'],
    ['一类', '1'], ['二类', '2'], ['三类', '3'], ['四类', '4'], ['五类', '5'], ['六类', '6'], ['七类', '7'], ['八类', '8'],
    ['第五类', '5'],
    ['I', '1'], ['II', '2'], ['III', '3'], ['IV', '4'], ['V', '5'], ['VI', '6'], ['VII', '7'], ['VIII', '8'],
    ['iv', '4'], ['VI类', '6'], ['Ⅳ', '4'], ['Ⅷ', '8'], ['ⅲ', '3'],
  ])('%p → %s', (raw, cls) => {
    expect(parseRiskClass(raw)).toEqual({ ok: true, value: cls, warnings: [] });
  });

  it.each([['0'], ['9'], ['08'], [1.5], ['九类'], ['十类'], ['IX'], ['IIII'], ['一'], ['A'], [''], [null], [true]])(
    'refuses %p with code.unmapped',
    (raw) => {
      expect(parseRiskClass(raw, 'hy_fxlb')).toEqual({
        ok: false,
        reasons: [{ code: 'code.unmapped', field: 'hy_fxlb', detail: String(raw) }],
      });
    },
  );
});

describe('riskClassFromIndustry', () => {
  it.each([
    // [division, edition, class] — examples of domain.md §1 and the 71号 table
    ['65', 2011, '1'], ['65', 2017, '1'],
    ['06', 2011, '8'], ['07', 2011, '7'], ['25', 2017, '7'],
    ['47', 2011, '6'], ['49', 2011, '5'], ['01', 2011, '4'], ['51', 2017, '2'],
    ['79', 2011, '2'], ['80', 2017, '2'], // 居民服务业 79 → 80
    ['80', 2011, '3'], ['81', 2017, '3'], // 机动车、电子产品和日用产品修理业
    ['82', 2011, '2'], ['83', 2017, '2'], // 教育
    ['84', 2011, '1'], ['85', 2017, '1'], // 社会工作
    ['88', 2011, '4'], ['89', 2017, '4'], // 体育
    ['89', 2011, '3'], ['90', 2017, '3'], // 娱乐业
    ['90', 2011, '1'], ['91', 2017, '1'], // 中国共产党机关
    ['96', 2011, '1'], ['97', 2017, '1'], // 国际组织
  ] as const)('division %s of the %s edition → class %s', (division, edition, cls) => {
    expect(valueOf(riskClassFromIndustry(division, edition))).toBe(cls);
  });

  it('reads the same number differently by edition (2011 88 体育 vs 2017 88 文化艺术业)', () => {
    expect(valueOf(riskClassFromIndustry('88', 2011))).toBe('4');
    expect(valueOf(riskClassFromIndustry('88', 2017))).toBe('2');
  });

  it.each([
    ['a group code', '651', '1'],
    ['a class code', '6510', '1'],
    ['a section letter and division', 'I65', '1'],
    ['a section letter and class code', 'C3311', '4'],
    ['lower case, full width', 'ｃ３３', '4'],
    ['a numeric division', 65, '1'],
    ['a numeric single digit (lost leading zero)', 6, '8'],
  ])('accepts %s', (_label, raw, cls) => {
    expect(valueOf(riskClassFromIndustry(raw, 2011))).toBe(cls);
  });

  it.each([
    ['2017 division 79 土地管理业 (no 71号 class yet)', '79', 2017],
    ['2011 division 97 (does not exist)', '97', 2011],
    ['2017 division 98', '98', 2017],
    ['division 00', '00', 2011],
    ['a single digit text', '6', 2011],
    ['five digits', '65101', 2011],
    ['a section letter alone', 'I', 2011],
    ['a number above 99 (maybe a lost leading zero)', 111, 2011],
    ['a fraction', 6.5, 2011],
    ['empty', '', 2011],
  ] as const)('refuses %s with code.unmapped', (_label, raw, edition) => {
    expect(riskClassFromIndustry(raw, edition, 'hydm')).toEqual({
      ok: false,
      reasons: [{ code: 'code.unmapped', field: 'hydm', detail: String(raw) }],
    });
  });

  it('uses a supplied provincial table instead of the default', () => {
    const tables = { 2011: {}, 2017: { '79': '3' as RiskClass } };
    expect(valueOf(riskClassFromIndustry('79', 2017, 'industry', tables))).toBe('3');
  });
});

describe('riskClassFromCrosswalk', () => {
  const crosswalk: Record<string, RiskClass> = { '1': '1', '2': '4', '3': '8' };
  it('translates a pre-2015 three-class code through the city crosswalk', () => {
    expect(valueOf(riskClassFromCrosswalk('2', crosswalk))).toBe('4');
    expect(valueOf(riskClassFromCrosswalk(3, crosswalk))).toBe('8');
  });
  it('refuses a code the crosswalk lacks', () => {
    expect(riskClassFromCrosswalk('4', crosswalk, 'old_class')).toEqual({
      ok: false,
      reasons: [{ code: 'code.unmapped', field: 'old_class', detail: '4' }],
    });
  });
});

describe('parseDisabilityGrade', () => {
  it.each([
    ['1', '1'], ['10', '10'], [7, '7'], ['5级', '5'],
    ['一级', '1'], ['二级', '2'], ['三级', '3'], ['四级', '4'], ['五级', '5'],
    ['六级', '6'], ['七级', '7'], ['八级', '8'], ['九级', '9'], ['十级', '10'],
    ['\u3000十级 ', '10'],
  ])('%p → %s', (raw, grade) => {
    expect(valueOf(parseDisabilityGrade(raw))).toBe(grade);
  });

  it.each([['0'], ['11'], ['01'], [10.5], ['十一级'], ['一'], ['甲级'], [''], [null]])('refuses %p with code.unmapped', (raw) => {
    expect(codesOf(parseDisabilityGrade(raw))).toEqual(['code.unmapped']);
  });
});

describe('parseNursingLevel', () => {
  it.each([
    ['1', '1'], [2, '2'], ['3', '3'], ['一级', '1'], ['二级', '2'], ['三级', '3'],
    ['完全不能自理', '1'], ['大部分不能自理', '2'], ['部分不能自理', '3'],
  ])('%p → %s', (raw, level) => {
    expect(valueOf(parseNursingLevel(raw))).toBe(level);
  });

  it('reads an empty cell as no nursing level', () => {
    expect(parseNursingLevel(null)).toEqual({ ok: true, value: null, warnings: [] });
    expect(valueOf(parseNursingLevel('\u3000'))).toBeNull();
  });

  it.each([['0'], ['4'], ['四级'], ['自理'], [true]])('refuses %p with code.unmapped', (raw) => {
    expect(codesOf(parseNursingLevel(raw))).toEqual(['code.unmapped']);
  });
});

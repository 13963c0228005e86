import { didYouMean, editDistance, nearest } from '../../../src/mapping/nearest';

describe('nearest valid choice', () => {
  it.each([
    ['', '', 0],
    ['unit', 'unti', 2],
    ['columns', 'colums', 1],
    ['身份证号', '身份正号', 1],
    ['kitten', 'sitting', 3],
  ])('edit distance %p → %p is %p', (a, b, d) => expect(editDistance(a, b)).toBe(d));

  it('suggests a plausible typo, nothing for an unrelated word', () => {
    expect(nearest('ignroe', ['stream', 'entity', 'columns', 'ignore'])).toBe('ignore');
    expect(nearest('参保曰期', ['姓名', '参保日期', '停保日期'])).toBe('参保日期');
    expect(nearest('xyz', ['stream', 'entity'])).toBeUndefined();
    expect(didYouMean('Unit', ['unit'])).toBe(' — did you mean "unit"?');
    expect(didYouMean('abc', [])).toBe('');
  });
});

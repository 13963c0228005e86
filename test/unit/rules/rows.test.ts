import { classifyNonRecord, type NonRecordOptions } from '../../../src/domain/rules/rows';

const options: NonRecordOptions = {
  headerTexts: ['序号', '姓名', '身份证号码', '缴费金额(元)'],
  keyColumnIndexes: [2],
};
const classify = (cells: Parameters<typeof classifyNonRecord>[0], o: Partial<NonRecordOptions> = {}) =>
  classifyNonRecord(cells, { ...options, ...o });

describe('classifyNonRecord', () => {
  it('passes an ordinary record', () => {
    expect(classify([1, '张三', '370802199402210029', 100])).toBeNull();
  });

  describe('skip.blank', () => {
    it.each([
      ['no cells', []],
      ['all null', [null, null, null]],
      ['white space and U+3000 only', ['', ' ', '\u3000', '\t']],
    ])('%s', (_label, cells) => {
      expect(classify(cells)).toBe('skip.blank');
    });
    it('a zero is not blank', () => {
      expect(classify([null, 0, null])).toBeNull();
    });
  });

  describe('skip.header', () => {
    it('a repeated header row', () => {
      expect(classify(['序号', '姓名', '身份证号码', '缴费金额(元)'])).toBe('skip.header');
    });
    it('ignoring spaces, width and blank cells', () => {
      expect(classify(['序 号', '姓\u3000名', null, '缴费金额（元）'])).toBe('skip.header');
    });
    it('a title or page-header line the mapping declares as a pattern', () => {
      const headerTexts = [...options.headerTexts, /工伤保险.*名册$/u];
      expect(classify(['XX市2019年工伤保险参保人员名册', null, null], { headerTexts })).toBe('skip.header');
    });
    it('not when a cell differs from every header text', () => {
      expect(classify(['序号', '姓名', '370802199402210029'])).toBeNull();
    });
    it('not an undeclared title line: that is a record with an empty key, for its rules to reject', () => {
      expect(classify(['XX市2019年工伤保险参保人员名册', null, null])).toBeNull();
    });
  });

  describe('skip.subtotal', () => {
    it.each([['合计'], ['小计'], ['总计'], ['本页合计'], ['合  计'], ['合计：'], ['\u3000合计\u3000']])(
      '%p with the key column empty',
      (label) => {
        expect(classify([label, null, null, 12345])).toBe('skip.subtotal');
      },
    );
    it('the label may be in any column', () => {
      expect(classify([null, '本页合计', '', 12345])).toBe('skip.subtotal');
    });
    it('not when the key column is filled (a person whose name is 合计 is still a record)', () => {
      expect(classify([1, '合计', '370802199402210029', 100])).toBeNull();
    });
    it('when any one of several key columns is empty', () => {
      expect(classify(['合计', 'X', null, 1], { keyColumnIndexes: [1, 2] })).toBe('skip.subtotal');
    });
    it('not for other words in an empty-key row', () => {
      expect(classify(['累计', null, null, 12345])).toBeNull();
      expect(classify(['合计金额', null, null, 12345])).toBeNull();
    });
    it('never when the mapping names no key column', () => {
      expect(classify(['合计', null, null, 1], { keyColumnIndexes: [] })).toBeNull();
    });
    it('a key column beyond the end of a short row counts as empty', () => {
      expect(classify(['合计'], { keyColumnIndexes: [5] })).toBe('skip.subtotal');
    });
  });
});

import { cellText, cityName, fieldLabel, formatYuan, recordValueText, sourceHeaders } from '../../../src/steward/display';

test('fen as yuan with thousands separators, exactly, for any size', () => {
  expect(formatYuan(123456n)).toBe('1,234.56');
  expect(formatYuan('5')).toBe('0.05');
  expect(formatYuan(-100000)).toBe('-1,000.00');
  expect(formatYuan('123456789012345678901')).toBe('1,234,567,890,123,456,789.01');
});

test('labels from the source header, else the provincial table; cities by name', () => {
  const table = { entity: 'employer', columns: { name: { header: '单位全称', aliases: [] }, usc_code: { column: 'tyxydm', aliases: [] } } } as never;
  const headers = sourceHeaders(table);
  expect(fieldLabel('employer', 'name', 'zh', headers)).toBe('单位全称');
  expect(fieldLabel('employer', 'usc_code', 'zh', headers)).toBe('统一社会信用代码');
  expect(fieldLabel('person', 'name', 'zh')).toBe('姓名');
  expect(fieldLabel('contribution', 'amount_due_fen', 'zh')).toBe('应缴金额');
  expect(cityName('430100')).toBe('长沙市');
  expect(cityName('430211')).toBe('株洲市');
  expect(cityName('990000')).toBe('990000');
});

test('dates as dates, codes by meaning, nested values without JSON', () => {
  expect(cellText('accident_date', 43831)).toBe('2020-01-01');
  expect(cellText('accident_date', 42369, true)).toBe('2020-01-01');
  expect(cellText('case_no', 43831)).toBe('43831');
  expect(cellText('name', '')).toBe('∅');
  expect(recordValueText('contribution', 'amount_due_fen', '12345678', 'zh')).toBe('123,456.78 元');
  expect(recordValueText('person', 'gender', 'F', 'zh')).toBe('女');
  expect(recordValueText('employer', 'city_code', '430100', 'zh')).toBe('长沙市（430100）');
  expect(recordValueText('employer', 'attributes', { division_code: '430102' }, 'zh')).toBe('行政区划：芙蓉区（430102）');
});

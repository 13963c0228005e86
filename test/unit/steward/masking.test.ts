import { isMaskOf, maskDeep, maskDetail, maskFields, maskIdsInText, maskName, maskValue, personalKind } from '../../../src/steward/masking';
import { provincialFieldLabel } from '../../../src/steward/field-labels';

test('resident IDs keep the region and the last four characters', () => {
  expect(maskValue('id', '43010219900101123X')).toBe('430102********123X');
  expect(maskValue('id', ' 430102900101123 ')).toBe('430102*****1123');
  expect(maskValue('id', '12345')).toBe('*****');
  expect(maskValue('id', null)).toBeNull();
});

test('names keep their first character only', () => {
  expect(maskName('张三')).toBe('张*');
  expect(maskName('欧阳娜娜')).toBe('欧***');
  expect(maskName('买买提·艾力')).toBe('买*****');
  expect(maskName('王')).toBe('*');
});

test('which fields are personal depends on the field and, for names, the entity', () => {
  expect(personalKind('person', 'id_number')).toBe('id');
  expect(personalKind('benefit_payment', 'injured_id_number')).toBe('id');
  expect(personalKind('person', 'name')).toBe('name');
  expect(personalKind('employer', 'name')).toBeNull();
  expect(personalKind('injury_case', 'person_name')).toBe('name');
  expect(personalKind('person', 'mobile')).toBe('phone');
  expect(personalKind('person', 'birth_date')).toBe('date');
  expect(personalKind('person', 'gender')).toBeNull();
  expect(personalKind('employer', 'usc_code')).toBeNull();
});

test('rows, reason details and audit documents are masked throughout', () => {
  expect(maskFields('person', { id_number: '43010219900101123X', name: '李四', gender: '男', birth_date: '1990-01-01' })).toEqual({
    id_number: '430102********123X',
    name: '李*',
    gender: '男',
    birth_date: '****-**-**',
  });
  expect(maskDetail('person', 'id_number', '43010219900101123X: check character should be 5')).toBe('430102********123X: check character should be 5');
  expect(maskDetail('person', 'name', '李四')).toBe('李*');
  expect(maskIdsInText('two: 430102199001011235 and ４３０１０２１９９０')).toBe('two: 430102********1235 and **********');
  expect(maskDeep({ before: { fields: { name: '王五', id_number: '430102199001011235' } }, note: 'id 430102199001011235' })).toEqual({
    before: { fields: { name: '王*', id_number: '430102********1235' } },
    note: 'id 430102********1235',
  });
});

test('an untouched masked value is recognised as no edit', () => {
  expect(isMaskOf('person', 'id_number', '430102********123X', '43010219900101123X')).toBe(true);
  expect(isMaskOf('person', 'id_number', '43010219900101123X', '43010219900101123X')).toBe(false);
  expect(isMaskOf('person', 'name', '张*', '张三')).toBe(true);
  expect(isMaskOf('person', 'name', '张四', '张三')).toBe(false);
  expect(isMaskOf('person', 'gender', '*', '男')).toBe(false);
});

test("a record's extras are masked by their names like fields (extra.phone in the raw row, phone in the record)", () => {
  const masked = maskFields('employer', { 'extra.phone': '13812345678', extra: { phone: '13812345678', founded: '1998-05-04' } });
  expect(masked['extra.phone']).not.toBe('13812345678');
  expect(masked.extra).toEqual({ phone: masked['extra.phone'], founded: '1998-05-04' });
});

test('the new fields are labelled in the words of the legacy systems', () => {
  expect(provincialFieldLabel('contribution', 'paid_date', 'zh')).toBe('到账日期');
  expect(provincialFieldLabel('benefit_payment', 'paid_date', 'zh')).toBe('支付日期');
  expect(provincialFieldLabel('employer', 'insured_from', 'zh')).toBe('参保日期');
  expect(provincialFieldLabel('insurance_spell', 'monthly_wage_fen', 'zh')).toBe('月缴费工资');
  expect(provincialFieldLabel('employer', 'extra.phone', 'zh')).toBe('phone');
});

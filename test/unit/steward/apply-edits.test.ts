import { applyEdits } from '../../../src/steward/workbench';

const reject = { entity: 'person', fields: { id_number: '43010219900101123X', name: '张三', gender: 1 }, fixedFields: null };
const allowed = ['id_number', 'name', 'gender'];

test('edits replace values, empty text clears, masked or same-text values change nothing', () => {
  expect(applyEdits(reject, { id_number: '430102199001011235', name: '', gender: '1' }, allowed)).toEqual({
    ok: true,
    value: { id_number: '430102199001011235', name: null, gender: 1 },
  });
  expect(applyEdits(reject, { id_number: '430102********123X', name: '张*' }, allowed)).toEqual({ ok: true, value: reject.fields });
});

test('edits apply on top of a saved fix', () => {
  const fixed = { ...reject, fixedFields: { ...reject.fields, name: '张三丰' } };
  expect(applyEdits(fixed, { gender: 2 }, allowed)).toEqual({ ok: true, value: { id_number: '43010219900101123X', name: '张三丰', gender: 2 } });
});

test('fields the row does not have, and values that are not cells, are refused', () => {
  expect(applyEdits(reject, { salary: '1' }, allowed)).toMatchObject({ ok: false, status: 400 });
  expect(applyEdits(reject, { name: { $ne: 1 } }, allowed)).toMatchObject({ ok: false, status: 400 });
  expect(applyEdits(reject, { name: 'x'.repeat(1001) }, allowed)).toMatchObject({ ok: false, status: 400 });
});

test('a date serial given back as the date it is shown as, or a blank given back empty, is no edit', () => {
  const dated = { entity: 'injury_case', fields: { accident_date: 43831, case_no: 'GS-1', name: '　' }, fixedFields: null, date1904: false };
  const fields = ['accident_date', 'case_no', 'name'];
  expect(applyEdits(dated, { accident_date: '2020-01-01', name: '' }, fields)).toEqual({ ok: true, value: dated.fields });
  expect(applyEdits({ ...dated, date1904: true }, { accident_date: '2020-01-01' }, fields)).toEqual({ ok: true, value: { ...dated.fields, accident_date: '2020-01-01' } });
  expect(applyEdits(dated, { accident_date: '2020-01-02' }, fields)).toEqual({ ok: true, value: { ...dated.fields, accident_date: '2020-01-02' } });
});

import { appraisalRecord } from '../../../src/domain/records/appraisal';
import { benefitPaymentRecord } from '../../../src/domain/records/benefit-payment';
import { injuryCaseRecord } from '../../../src/domain/records/injury-case';
import { context, id18, parts, reasons } from './support';

const ID = id18('43020219800101123');
const codes = {
  result: { 认定: 'recognized', 视同: 'deemed', 不予认定: 'not_recognized', 作废: 'void' },
  acc: { '01': 'workplace_accident', '02': 'occupational_disease', '03': 'commuting' },
  grade: { 未达级: '10' },
  benefit: { 医疗费: 'medical', 一次性伤残补助金: 'disability_lump_sum', 伤残津贴: 'disability_allowance' },
};
const ctx = context({
  codes,
  columns: { result: { codes: 'result' }, accident_type: { codes: 'acc' }, benefit_type: { codes: 'benefit' }, amount: { unit: 'yuan' }, disability_grade: { codes: 'grade' } },
});

describe('injury case rows', () => {
  it('keys by city and case number; refers to the person by ID and the employer by legacy number', () => {
    const [p] = parts(injuryCaseRecord.normalize({ case_no: 20230017, id_number: ID, employer_no: 'E1', accident_date: '2023.3.5', determination_date: '20230420', result: '认定', accident_type: '03' }, ctx));
    expect(p).toEqual({
      entity: 'injury_case',
      naturalKey: '430200|20230017',
      payload: { case_no: '20230017', city_code: '430200', accident_date: '2023-03-05', determination_date: '2023-04-20', result: 'recognized', accident_type: 'commuting' },
      refs: [
        { field: 'person_id', entity: 'person', by: 'natural_key', value: ID, missingCode: 'reference.person_missing' },
        { field: 'employer_id', entity: 'employer', by: 'city_key', value: 'E1', missingCode: 'reference.employer_missing', inKey: true },
      ],
    });
  });

  it('refuses values the city table does not translate, or translates to no provincial value', () => {
    const r = injuryCaseRecord.normalize({ case_no: 'A1', id_number: ID, employer_no: 'E1', accident_date: '2023-03-05', determination_date: '2023-04-20', result: '作废', accident_type: '09' }, ctx);
    expect(reasons(r)).toEqual(['code.unmapped@accident_type', 'code.unmapped@result']);
    expect(r.kind === 'rejected' && r.reasons.find((x) => x.field === 'accident_type')!.detail).toBe('09');
  });

  it('a case without its number is no case', () => {
    expect(reasons(injuryCaseRecord.normalize({ case_no: ' ', id_number: ID, employer_no: 'E1', accident_date: '2023-03-05', determination_date: '2023-04-20', result: '认定', accident_type: '01' }, ctx))).toEqual(['case_no.missing@case_no']);
  });
});

describe('appraisal rows', () => {
  it('refers to the case of its city; grade through the table or read directly; nursing level empty = none', () => {
    const [p] = parts(appraisalRecord.normalize({ case_no: ' A1 ', appraisal_date: '2023-06-01', disability_grade: '七级', nursing_level: '' }, ctx));
    expect(p).toEqual({
      entity: 'appraisal',
      naturalKey: '430200|A1|2023-06-01',
      payload: { appraisal_date: '2023-06-01', disability_grade: '7', nursing_level: null, city_code: '430200' },
      refs: [{ field: 'case_id', entity: 'injury_case', by: 'natural_key', value: '430200|A1', missingCode: 'reference.case_missing' }],
    });
    expect(parts(appraisalRecord.normalize({ case_no: 'A1', appraisal_date: '2023-06-01', disability_grade: '未达级', nursing_level: '部分不能自理' }, ctx))[0]!.payload).toMatchObject({ disability_grade: '10', nursing_level: '3' });
  });

  it('refuses unknown grades and levels, and checks an ID where one is given', () => {
    const r = appraisalRecord.normalize({ case_no: 'A1', appraisal_date: '2023-06-01', disability_grade: '十一级', nursing_level: '4', id_number: '123' }, ctx);
    expect(reasons(r)).toEqual(['code.unmapped@disability_grade', 'code.unmapped@nursing_level', 'id_number.format@id_number']);
  });
});

describe('benefit payment rows', () => {
  it('keys by case, benefit type and period; amount in fen', () => {
    const [p] = parts(benefitPaymentRecord.normalize({ case_no: 'A1', benefit_type: '伤残津贴', period: '2023/07', amount: '￥3,120.00', id_number: ID }, ctx));
    expect(p).toEqual({
      entity: 'benefit_payment',
      naturalKey: '430200|A1|disability_allowance|2023-07',
      payload: { benefit_type: 'disability_allowance', period: '2023-07', amount_fen: '312000', city_code: '430200' },
      refs: [
        { field: 'case_id', entity: 'injury_case', by: 'natural_key', value: '430200|A1', missingCode: 'reference.case_missing' },
        { field: 'person_id', entity: 'person', by: 'natural_key', value: ID, missingCode: 'reference.person_missing' },
      ],
    });
  });

  it('accepts the provincial value itself where the mapping declares no table', () => {
    const plain = context({ columns: { amount: { unit: 'yuan' } } });
    expect(parts(benefitPaymentRecord.normalize({ case_no: 'A1', benefit_type: 'funeral', period: '2023-07', amount: 1 }, plain))[0]!.payload.benefit_type).toBe('funeral');
    expect(reasons(benefitPaymentRecord.normalize({ case_no: '', benefit_type: '丧葬费', period: '2023-07', amount: 1 }, plain))).toEqual(['code.unmapped@benefit_type', 'reference.case_missing@case_no']);
  });
});

describe('a city code meaning "none"', () => {
  it('an optional coded field translated to the empty code is none', () => {
    const ctx2 = context({ codes: { nursing: { '0': '', '1': '1' } }, columns: { nursing_level: { codes: 'nursing' } } });
    expect(parts(appraisalRecord.normalize({ case_no: 'A1', appraisal_date: '2023-06-01', disability_grade: 5, nursing_level: '0' }, ctx2))[0]!.payload.nursing_level).toBeNull();
    expect(parts(appraisalRecord.normalize({ case_no: 'A1', appraisal_date: '2023-06-01', disability_grade: 5, nursing_level: 1 }, ctx2))[0]!.payload.nursing_level).toBe('1');
  });
});

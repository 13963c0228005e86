/**
 * Injury determination rows (工伤认定): a case of the city by its case number (认定书编号), about a
 * person and employer, with the accident and determination dates, the result (认定工伤 / 视同工伤 /
 * 不予认定) and the accident type.
 */
import { ACCIDENT_TYPES, DETERMINATION_RESULTS } from '../../../mappings/province/enumerations';
import { FieldReader } from '../normalize/field-reader';
import { naturalKey } from '../normalize/natural-key';
import type { Fields, NormalizeContext, RecordKind, RowResult } from '../normalize/types';
import { EMPLOYER_REF_FIELDS } from './person-spell';

export const injuryCaseRecord: RecordKind = {
  entity: 'injury_case',
  requiredFields: ['case_no', 'id_number', 'accident_date', 'determination_date', 'result', 'accident_type'],
  optionalFields: ['name', ...EMPLOYER_REF_FIELDS],
  requiredOneOf: [EMPLOYER_REF_FIELDS],
  enumerations: { result: DETERMINATION_RESULTS, accident_type: ACCIDENT_TYPES },
  keyFields: ['case_no'],
  normalize(fields: Fields, ctx: NormalizeContext): RowResult {
    const r = new FieldReader(fields, ctx);
    const caseNo = r.legacyKey('case_no');
    // the case's own key: without it the row is no case at all
    if (caseNo === null) r.reason({ code: 'case_no.missing', field: 'case_no' });
    r.personRef();
    r.employerRef();
    const accident = r.date('accident_date');
    const determined = r.date('determination_date');
    const result = r.code('result', DETERMINATION_RESULTS);
    const accidentType = r.code('accident_type', ACCIDENT_TYPES);
    return r.result(() => [
      {
        entity: 'injury_case',
        naturalKey: naturalKey(ctx.cityCode, caseNo!),
        payload: { case_no: caseNo!, city_code: ctx.cityCode, accident_date: accident!, determination_date: determined!, result: result!, accident_type: accidentType! },
        refs: r.refs,
      },
    ]);
  },
};

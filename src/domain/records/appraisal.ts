/**
 * Work-capacity appraisal rows (劳动能力鉴定): a case and appraisal date, with the disability grade
 * (伤残等级 1–10) and nursing level (生活自理障碍等级 1–3, empty = none).
 */
import { DISABILITY_GRADES, NURSING_LEVELS } from '../../../mappings/province/enumerations';
import { FieldReader } from '../normalize/field-reader';
import { naturalKey } from '../normalize/natural-key';
import type { Fields, NormalizeContext, RecordKind, RowResult } from '../normalize/types';
import { parseDisabilityGrade, parseNursingLevel } from '../rules/codes';

export const appraisalRecord: RecordKind = {
  entity: 'appraisal',
  requiredFields: ['case_no', 'appraisal_date', 'disability_grade'],
  optionalFields: ['nursing_level', 'id_number', 'name'],
  enumerations: { disability_grade: DISABILITY_GRADES, nursing_level: NURSING_LEVELS },
  keyFields: ['case_no'],
  normalize(fields: Fields, ctx: NormalizeContext): RowResult {
    const r = new FieldReader(fields, ctx);
    const caseKey = r.caseRef();
    r.personRef('person_id', 'id_number', { required: false });
    const date = r.date('appraisal_date');
    const grade = r.code('disability_grade', DISABILITY_GRADES, { parse: parseDisabilityGrade });
    const nursing = r.code('nursing_level', NURSING_LEVELS, { required: false, parse: parseNursingLevel });
    return r.result(() => [
      {
        entity: 'appraisal',
        naturalKey: naturalKey(caseKey!, date!),
        payload: { appraisal_date: date!, disability_grade: grade!, nursing_level: nursing ?? null, city_code: ctx.cityCode },
        refs: r.refs,
      },
    ]);
  },
};

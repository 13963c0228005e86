/**
 * Insurance spell rows (参保记录): a person insured through an employer from a start date. The row
 * also feeds the person, so a roster of spells is a roster of persons; the employer is named by
 * USC/organization code (province-wide) or by the city's legacy employer number. The monthly
 * contribution wage (月缴费工资) is content: rows differing in it are not duplicates.
 */
import { GENDERS } from '../../../mappings/province/enumerations';
import { FieldReader, present } from '../normalize/field-reader';
import { naturalKey } from '../normalize/natural-key';
import type { Fields, NormalizeContext, RecordKind, RowResult } from '../normalize/types';
import { readPerson } from './person';

export const EMPLOYER_REF_FIELDS = ['employer_no', 'employer_usc', 'employer_org'] as const;

export const personSpellRecord: RecordKind = {
  entity: 'insurance_spell',
  requiredFields: ['id_number', 'name', 'start_date'],
  optionalFields: ['gender', 'birth_date', ...EMPLOYER_REF_FIELDS, 'end_date', 'status', 'monthly_wage'],
  amountFields: ['monthly_wage'],
  requiredOneOf: [EMPLOYER_REF_FIELDS],
  enumerations: { gender: GENDERS },
  keyFields: ['id_number'],
  normalize(fields: Fields, ctx: NormalizeContext): RowResult {
    const r = new FieldReader(fields, ctx);
    const person = readPerson(r);
    const employer = r.employerRef();
    const start = r.date('start_date');
    const end = r.date('end_date', { required: false });
    const status = r.text('status');
    // 月缴费工资: the person's monthly contribution wage on the spell, in fen
    const wage = r.amount('monthly_wage', { required: false });
    return r.result(() => [
      {
        entity: 'insurance_spell',
        naturalKey: naturalKey(person!.naturalKey, employer!, start!),
        payload: { start_date: start!, end_date: end ?? null, city_code: ctx.cityCode, status: status ?? null, ...present({ monthly_wage_fen: wage }) },
        // the person comes from this very row: a reference that cannot be missing, so it is not
        // among the refs of a rejected row (r.refs)
        refs: [...r.refs, { field: 'person_id', entity: 'person', by: 'natural_key', value: person!.naturalKey, missingCode: 'reference.person_missing' }],
      },
      person!,
    ]);
  },
};

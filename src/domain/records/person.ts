/**
 * Insured person (参保人员) rows: resident ID, name and, optionally, a source gender that is only
 * compared with the one derived from the ID. Birth date and gender always come from the ID; a
 * source birth-date column is read by nobody.
 */
import { GENDERS } from '../../../mappings/province/enumerations';
import { FieldReader } from '../normalize/field-reader';
import type { Fields, NormalizeContext, RecordKind, RecordPart, RowResult } from '../normalize/types';
import { genderWarning } from '../rules/resident-id';
import { cellText } from '../rules/text';

/** Reads a source gender through the city's code table; unknown or blank → null (no warning). */
function sourceGender(r: FieldReader, field = 'gender'): 'M' | 'F' | null {
  const text = cellText(r.raw(field));
  if (text === null) return null;
  const table = r.ctx.columns[field]?.codes;
  const translated = table ? r.ctx.codes[table]?.[text.trim()] : text.trim();
  return translated === 'M' || translated === 'F' ? translated : null;
}

/** The person part of a row (a roster row, or a spell row that also feeds the person). */
export function readPerson(r: FieldReader): RecordPart | undefined {
  const id = r.idNumber();
  const name = r.name();
  if (id) {
    r.c.warnings.push(...genderWarning(sourceGender(r), id.gender));
    r.c.normalized.gender = id.gender;
    r.c.normalized.birth_date = id.birthDate;
  }
  if (!id || name === undefined) return undefined;
  return { entity: 'person', naturalKey: id.id, payload: { id_number: id.id, name, gender: id.gender, birth_date: id.birthDate }, refs: [] };
}

export const personRecord: RecordKind = {
  entity: 'person',
  requiredFields: ['id_number', 'name'],
  optionalFields: ['gender', 'birth_date'],
  enumerations: { gender: GENDERS },
  keyFields: ['id_number'],
  normalize(fields: Fields, ctx: NormalizeContext): RowResult {
    const r = new FieldReader(fields, ctx);
    const person = readPerson(r);
    return r.result(() => [person!]);
  },
};

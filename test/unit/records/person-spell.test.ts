import { cityRefToken } from '../../../src/domain/normalize/natural-key';
import { personSpellRecord } from '../../../src/domain/records/person-spell';
import { context, id18, parts, reasons, usc } from './support';

const ID = id18('43020219800101123');
const USC = usc('91430200MA4L00001');

describe('insurance spell rows (person_spell)', () => {
  it('feeds the spell and the person; the spell refers to the employer by USC and to the person in the row', () => {
    const result = personSpellRecord.normalize({ id_number: ID, name: '王 伟', gender: '男', employer_usc: USC, start_date: 42908, end_date: '' }, context({ columns: { gender: { codes: 'g' } }, codes: { g: { 男: 'M', 女: 'F' } } }));
    const [spell, person] = parts(result);
    expect(spell).toEqual({
      entity: 'insurance_spell',
      naturalKey: `${ID}|${USC}|2017-06-22`,
      payload: { start_date: '2017-06-22', end_date: null, city_code: '430200', status: null },
      refs: [
        { field: 'employer_id', entity: 'employer', by: 'natural_key', value: USC, missingCode: 'reference.employer_missing' },
        { field: 'person_id', entity: 'person', by: 'natural_key', value: ID, missingCode: 'reference.person_missing' },
      ],
    });
    expect(person).toEqual({ entity: 'person', naturalKey: ID, payload: { id_number: ID, name: '王 伟', gender: 'M', birth_date: '1980-01-01' }, refs: [] });
    expect(result.kind === 'record' && result.warnings).toEqual([]);
  });

  it('names the employer by the city legacy number: a token in the key until it resolves', () => {
    const [spell] = parts(personSpellRecord.normalize({ id_number: ID, name: '王伟', employer_no: 7001.0, start_date: '2019-03-01' }, context()));
    expect(spell!.naturalKey).toBe(`${ID}|${cityRefToken('employer', '7001')}|2019-03-01`);
    expect(spell!.refs[0]).toEqual({ field: 'employer_id', entity: 'employer', by: 'city_key', value: '7001', missingCode: 'reference.employer_missing', inKey: true });
  });

  it('warns when the source gender contradicts the ID', () => {
    const result = personSpellRecord.normalize({ id_number: ID, name: '王伟', gender: 'F', employer_no: 'E1', start_date: '2019-03-01' }, context());
    expect(result.kind === 'record' && result.warnings).toEqual(['gender.conflict']);
  });

  it('rejects with every reason, and keeps the references it could read for the loader to check', () => {
    const result = personSpellRecord.normalize({ id_number: ID, name: '', employer_no: 'E1', start_date: '2018-02-30' }, context());
    expect(reasons(result)).toEqual(['date.format@start_date', 'name.missing@name']);
    // the person of this row is not a reference that can be missing; the employer is
    expect(result.kind === 'rejected' && result.refs).toEqual([{ field: 'employer_id', entity: 'employer', by: 'city_key', value: 'E1', missingCode: 'reference.employer_missing', inKey: true }]);
  });

  it('a row without any employer is refused reference.employer_missing', () => {
    expect(reasons(personSpellRecord.normalize({ id_number: ID, name: '王伟', employer_no: '  ', start_date: '2019-03-01' }, context()))).toEqual(['reference.employer_missing@employer_no']);
  });
});

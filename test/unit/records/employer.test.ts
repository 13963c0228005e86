import { employerRecord } from '../../../src/domain/records/employer';
import { context, org, parts, reasons, usc } from './support';

const USC = usc('91430200MA4L00001'); // its organization code is positions 9–17
const ORG = org('18501234');

describe('employer rows', () => {
  it('keys by USC code, keeps its organization code part, ignores the org code column', () => {
    const [p] = parts(employerRecord.normalize({ usc_code: ` ${USC.toLowerCase()} `, org_code: 'not-checked', name: '株洲（湘江）机械有限公司', legacy_no: 1001 }, context()));
    expect(p).toEqual({
      entity: 'employer',
      naturalKey: USC,
      payload: {
        employer_key: USC,
        usc_code: USC,
        org_code: USC.slice(8, 17),
        name: '株洲(湘江)机械有限公司',
        city_code: '430200',
        risk_class: null,
        industry_code: null,
        legacy_no: '1001',
        attributes: {},
      },
      refs: [],
    });
  });

  it('keys by organization code (hyphen dropped) where there is no USC code', () => {
    const [p] = parts(employerRecord.normalize({ usc_code: '', org_code: `${ORG.slice(0, 8)}-${ORG[8]}`, name: '老厂' }, context()));
    expect(p!.naturalKey).toBe(ORG);
    expect(p!.payload).toMatchObject({ usc_code: null, org_code: ORG });
  });

  it.each([
    [{ usc_code: USC.slice(0, 17) + (USC[17] === '0' ? '1' : '0') }, ['name.missing@name', 'usc_code.checksum@usc_code']],
    [{ usc_code: 'ABC' }, ['name.missing@name', 'usc_code.format@usc_code']],
    [{ usc_code: null, org_code: null }, ['name.missing@name', 'org_code.format@org_code']],
    [{ org_code: ORG.slice(0, 8) + (ORG[8] === '1' ? '2' : '1') }, ['name.missing@name', 'org_code.checksum@org_code']],
  ])('rejects %p with every reason', (fields, expected) => {
    expect(reasons(employerRecord.normalize({ name: '　', ...fields }, context()))).toEqual(expected);
  });

  it('reads the risk class from a class code in any accepted form', () => {
    for (const [raw, cls] of [['三类', '3'], ['IV', '4'], [8, '8'], ['Ⅱ', '2']] as const) {
      expect(parts(employerRecord.normalize({ usc_code: USC, name: 'x', risk_class: raw }, context()))[0]!.payload.risk_class).toBe(cls);
    }
    expect(reasons(employerRecord.normalize({ usc_code: USC, name: 'x', risk_class: '九类' }, context()))).toEqual(['code.unmapped@risk_class']);
  });

  it('translates pre-2015 three-class codes through the city crosswalk only', () => {
    const ctx = context({ columns: { risk_class: { codes: 'three_class' } }, codes: { three_class: { '1': '2', '2': '5', '3': '8' } } });
    expect(parts(employerRecord.normalize({ usc_code: USC, name: 'x', risk_class: 1 }, ctx))[0]!.payload.risk_class).toBe('2');
    // '4' would be class 4 read directly, but in a crosswalked column it is not a three-class code
    expect(reasons(employerRecord.normalize({ usc_code: USC, name: 'x', risk_class: '4' }, ctx))).toEqual(['code.unmapped@risk_class']);
  });

  it('derives the risk class from the industry division in the declared GB/T 4754 edition', () => {
    // 2011 division 83 (health) is class 2; in 2017, 83 is education (also 2) and 84 health;
    // 2011 division 90 (entertainment, class 3) is 91 in 2017 — take one that moved across classes
    const in2011 = context({ columns: { industry: { edition: 2011 } } });
    const in2017 = context({ columns: { industry: { edition: 2017 } } });
    expect(parts(employerRecord.normalize({ usc_code: USC, name: 'x', industry: 'C3311' }, in2011))[0]!.payload).toMatchObject({ risk_class: '4', industry_code: 'C3311' });
    expect(parts(employerRecord.normalize({ usc_code: USC, name: 'x', industry: '06' }, in2017))[0]!.payload.risk_class).toBe('8');
    const r2011 = parts(employerRecord.normalize({ usc_code: USC, name: 'x', industry: '89' }, in2011))[0]!.payload.risk_class;
    const r2017 = parts(employerRecord.normalize({ usc_code: USC, name: 'x', industry: '90' }, in2017))[0]!.payload.risk_class;
    expect(r2017).toBe(r2011); // the same industry under both numberings
    expect(reasons(employerRecord.normalize({ usc_code: USC, name: 'x', industry: 'X' }, in2011))).toEqual(['code.unmapped@industry']);
  });

  it('checks a division-code field against the province', () => {
    expect(parts(employerRecord.normalize({ usc_code: USC, name: 'x', division_code: '430211' }, context()))[0]!.payload.attributes).toEqual({ division_code: '430211' });
    expect(reasons(employerRecord.normalize({ usc_code: USC, name: 'x', division_code: '440300' }, context()))).toEqual(['division_code.unknown@division_code']);
  });
});

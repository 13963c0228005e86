/**
 * Issue #14 fields: employer 参保日期, spell 月缴费工资, contribution 到账日期, benefit 支付日期 — each
 * read by its rule (dates: date.format / date.range against the load date; money: amount.*), and
 * left out of the payload while empty so records without them hash as before.
 */
import { comparableContent } from '../../../src/domain/normalize/normalize-row';
import { decideDuplicates } from '../../../src/domain/normalize/duplicates';
import { canonicalJson } from '../../../src/mapping/load-mapping';
import { benefitPaymentRecord } from '../../../src/domain/records/benefit-payment';
import { contributionRecord } from '../../../src/domain/records/contribution';
import { employerRecord } from '../../../src/domain/records/employer';
import { personSpellRecord } from '../../../src/domain/records/person-spell';
import { context, id18, parts, reasons, usc } from './support';

const ID = id18('43010219800101001');
const USC = usc('91430100MA4L00001');

describe('employer 参保日期 (insured_from)', () => {
  const base = { usc_code: USC, name: '长沙机械厂' };
  it('is read as a date in any city form', () => {
    const [p] = parts(employerRecord.normalize({ ...base, insured_from: '2003年7月1日' }, context()));
    expect(p!.payload.insured_from).toBe('2003-07-01');
    expect(parts(employerRecord.normalize({ ...base, insured_from: 20030701 }, context({ columns: { insured_from: { date_style: 'yyyymmdd' } } })))[0]!.payload.insured_from).toBe('2003-07-01');
  });
  it('refuses an unreadable date (date.format) and one after the load date (date.range)', () => {
    expect(reasons(employerRecord.normalize({ ...base, insured_from: '2003-02-30' }, context()))).toEqual(['date.format@insured_from']);
    expect(reasons(employerRecord.normalize({ ...base, insured_from: '2024-07-01' }, context()))).toEqual(['date.range@insured_from']);
    expect(reasons(employerRecord.normalize({ ...base, insured_from: '2024-07-01' }, context({ loadDate: '2024-07-01' })))).toEqual([]);
  });
  it('is optional, and absent from the payload while empty', () => {
    const [p] = parts(employerRecord.normalize({ ...base, insured_from: '  ' }, context()));
    expect(p!.payload).not.toHaveProperty('insured_from');
  });
});

describe('spell 月缴费工资 (monthly_wage)', () => {
  const base = { id_number: ID, name: '张三', employer_usc: USC, start_date: '2015-03-01' };
  it('is money in fen, in the declared unit', () => {
    expect(parts(personSpellRecord.normalize({ ...base, monthly_wage: '4,512.30' }, context()))[0]!.payload.monthly_wage_fen).toBe('451230');
    expect(parts(personSpellRecord.normalize({ ...base, monthly_wage: 0.45123 }, context({ columns: { monthly_wage: { unit: 'wan_yuan' } } })))[0]!.payload.monthly_wage_fen).toBe('451230');
  });
  it('refuses bad amounts with the amount rules', () => {
    expect(reasons(personSpellRecord.normalize({ ...base, monthly_wage: '4512.305' }, context()))).toEqual(['amount.precision@monthly_wage']);
    expect(reasons(personSpellRecord.normalize({ ...base, monthly_wage: '-1' }, context()))).toEqual(['amount.negative@monthly_wage']);
    expect(reasons(personSpellRecord.normalize({ ...base, monthly_wage: '四千' }, context()))).toEqual(['amount.format@monthly_wage']);
  });
  it('takes part in the duplicate comparison and in latest-wins', () => {
    const content = (wage: string) => canonicalJson(comparableContent(parts(personSpellRecord.normalize({ ...base, monthly_wage: wage }, context()))[0]!.payload, personSpellRecord));
    expect(content('4512.30')).toBe(content('4512.3'));
    expect(content('4512.30')).not.toBe(content('5000'));
    const key = parts(personSpellRecord.normalize({ ...base, monthly_wage: '1' }, context()))[0]!.naturalKey;
    const cand = (rowNo: number, wage: string, updatedAt: string | null) => ({ rowNo, entity: 'insurance_spell', naturalKey: key, content: content(wage), updatedAt });
    // same spell, another wage, no timestamps: a conflict, not a duplicate
    expect(decideDuplicates([cand(2, '4512.30', null), cand(3, '5000', null)])).toEqual(['conflict', 'conflict']);
    // timestamped: the later wage wins
    expect(decideDuplicates([cand(2, '4512.30', '2023-01-01T00:00:00Z'), cand(3, '5000', '2023-02-01T00:00:00Z')])).toEqual(['superseded', 'winner']);
  });
  it('is mapped as a money field: it takes a unit', () => {
    expect(personSpellRecord.amountFields).toContain('monthly_wage');
  });
});

describe('contribution 到账日期 and benefit 支付日期 (paid_date)', () => {
  it('contribution: a date by the date rules', () => {
    const row = { employer_usc: USC, period: '2023-05', amount_due: '100' };
    expect(parts(contributionRecord.normalize({ ...row, paid_date: '2023/6/15' }, context()))[0]!.payload.paid_date).toBe('2023-06-15');
    expect(reasons(contributionRecord.normalize({ ...row, paid_date: '2023-13-01' }, context()))).toEqual(['date.format@paid_date']);
    expect(reasons(contributionRecord.normalize({ ...row, paid_date: '2024-08-01' }, context()))).toEqual(['date.range@paid_date']);
    expect(parts(contributionRecord.normalize(row, context()))[0]!.payload).not.toHaveProperty('paid_date');
  });
  it('benefit payment: a date by the date rules', () => {
    const row = { case_no: 'A1', benefit_type: 'disability_allowance', period: '2023-05', amount: '100' };
    expect(parts(benefitPaymentRecord.normalize({ ...row, paid_date: 45092 }, context()))[0]!.payload.paid_date).toBe('2023-06-15');
    expect(reasons(benefitPaymentRecord.normalize({ ...row, paid_date: 'soon' }, context()))).toEqual(['date.format@paid_date']);
    expect(reasons(benefitPaymentRecord.normalize({ ...row, paid_date: '1949-12-31' }, context()))).toEqual(['date.range@paid_date']);
  });
});

/**
 * `extra:` fields: typed (text, date, money, code), bound like columns, read by the rules of their
 * type, stored on the primary record's `extra`, and content unless ignored.
 */
import { comparableContent } from '../../../src/domain/normalize/normalize-row';
import { personSpellRecord } from '../../../src/domain/records/person-spell';
import { type MappingError, parseMappingText } from '../../../src/mapping/load-mapping';
import { fixContext, previewFix } from '../../../src/steward/fix-row';
import { id18, parts, reasons, usc } from './support';

const ID = id18('43010219800101001');
const USC = usc('91430100MA4L00001');

const mappingText = (extra: string, more = '') => `
city: { code: "430100", name: 长沙市 }
sources:
  - id: spells
    files: [spells.csv]
    tables:
      - entity: person_spell
        columns: { id_number: 身份证号, name: 姓名, employer_usc: 单位信用代码, start_date: 参保日期 }
        extra:
${extra}
${more}`;

const EXTRAS = `          phone: 联系电话
          hired: { header: 入职日期, type: date }
          bonus: { header: 年终奖, type: money, unit: wan_yuan }
          hukou: { header: 户口性质, type: code, codes: hukou }
          note: { header: 备注, type: text }`;

function load(text: string) {
  return parseMappingText(text, '/tmp/430100-test.yaml');
}

describe('extra: in the mapping', () => {
  it('needs a type, and a code table for type code', () => {
    const bad = (extra: string, more = '') => {
      try {
        load(mappingText(extra, more));
        return [];
      } catch (err) {
        return (err as MappingError).problems.map((p) => `${p.line}: ${p.path}: ${p.message}`);
      }
    };
    expect(bad('          phone: { header: 联系电话 }')).toEqual([expect.stringMatching(/^10: sources\.0\.tables\.0\.extra\.phone\.type: /)]);
    expect(bad('          hukou: { header: 户口性质, type: code }')).toEqual([expect.stringMatching(/extra\.hukou\.codes: an extra field of type code needs a code table/)]);
    expect(bad('          hukou: { header: 户口性质, type: code, codes: hukuo }', 'codes: { hukou: { 农业: A } }')).toEqual([expect.stringMatching(/^10: .*extra\.hukou\.codes: no code table "hukuo" — did you mean "hukou"\?/)]);
    expect(bad('          hired: { header: 入职日期, type: date, unit: fen }')).toEqual([expect.stringMatching(/extra\.hired\.unit: unit does not apply to an extra field of type date \(only to type money\)/)]);
    expect(bad('          bonus: { sum: [奖金, 津贴], type: money, unit: yuan }')).toEqual([expect.stringMatching(/extra\.bonus\.sum: sum does not apply to an extra field of type money$/)]);
    expect(bad('          hired: { header: 入职日期, type: date, colour: red }')).toEqual([expect.stringMatching(/extra\.hired\.colour: unknown key "colour"/)]);
  });

  it('folds the extras into the columns as extra.<name>', () => {
    const { mapping } = load(mappingText(EXTRAS.replace('phone: 联系电话', 'phone: { header: 联系电话, type: text }'), 'codes: { hukou: { 农业: agri, 非农业: urban } }'));
    const table = mapping.sources[0]!.tables[0]!;
    expect(table).not.toHaveProperty('extra');
    expect(table.columns['extra.hired']).toEqual({ header: '入职日期', aliases: [], type: 'date' });
    expect(Object.keys(table.columns).filter((f) => f.startsWith('extra.'))).toEqual(['extra.phone', 'extra.hired', 'extra.bonus', 'extra.hukou', 'extra.note']);
  });
});

describe('extra: values', () => {
  const { mapping } = load(mappingText(EXTRAS.replace('phone: 联系电话', 'phone: { header: 联系电话, type: text }'), 'codes: { hukou: { 农业: agri, 非农业: urban } }'));
  const table = mapping.sources[0]!.tables[0]!;
  const ctx = fixContext(mapping, table, { cityCode: '430100', provinceCode: '43', loadDate: '2024-06-30', date1904: false });
  const row = { id_number: ID, name: '张三', employer_usc: USC, start_date: '2015-03-01' };

  it('are read by the rules of their type and stored on the primary record only', () => {
    const result = previewFix(table, ctx, { ...row, 'extra.phone': ' 0731-8888 ', 'extra.hired': '2015/3/1', 'extra.bonus': '1.2', 'extra.hukou': '非农业', 'extra.note': '' });
    const [spell, person] = parts(result);
    expect(spell!.payload.extra).toEqual({ phone: '0731-8888', hired: '2015-03-01', bonus_fen: '1200000', hukou: 'urban' });
    expect(person!.payload).not.toHaveProperty('extra');
  });

  it('refuse the row with the reason of their rule, naming the extra field', () => {
    const result = previewFix(table, ctx, { ...row, 'extra.hired': '2025-01-01', 'extra.bonus': 'abc', 'extra.hukou': '城镇' });
    expect(reasons(result)).toEqual(['amount.format@extra.bonus', 'code.unmapped@extra.hukou', 'date.range@extra.hired']);
    expect(result.kind === 'rejected' && result.normalized.extra).toMatchObject({ hired: null, bonus_fen: null, hukou: null });
    expect(reasons(previewFix(table, ctx, { ...row, 'extra.hired': '2015-02-30' }))).toEqual(['date.format@extra.hired']);
  });

  it('add their reasons to those of the kind', () => {
    expect(reasons(previewFix(table, ctx, { ...row, start_date: 'never', 'extra.hired': 'never' }))).toEqual(['date.format@extra.hired', 'date.format@start_date']);
  });

  it('all empty: no extra on the record (it hashes like one without extras)', () => {
    const [spell] = parts(previewFix(table, ctx, row));
    expect(spell!.payload).not.toHaveProperty('extra');
  });

  it('are content, except the ones the mapping ignores', () => {
    const payload = (phone: string) => parts(previewFix(table, ctx, { ...row, 'extra.phone': phone, 'extra.hired': '2015-03-01' }))[0]!.payload;
    expect(comparableContent(payload('1'), personSpellRecord)).not.toEqual(comparableContent(payload('2'), personSpellRecord));
    const ignore = ['extra.phone'];
    expect(comparableContent(payload('1'), personSpellRecord, ignore)).toEqual(comparableContent(payload('2'), personSpellRecord, ignore));
    expect(comparableContent(payload('1'), personSpellRecord, ignore).extra).toEqual({ hired: '2015-03-01' });
  });
});

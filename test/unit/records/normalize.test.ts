import { legacyKeyText, parseRate, spreadsheetNumber } from '../../../src/domain/normalize/field-reader';
import { cityRefToken, finalNaturalKey } from '../../../src/domain/normalize/natural-key';
import { comparableContent, normalizeRow, type TableBinding } from '../../../src/domain/normalize/normalize-row';
import { parseUpdateTimestamp } from '../../../src/domain/normalize/update-timestamp';
import type { Reference } from '../../../src/domain/normalize/types';
import { employerRecord } from '../../../src/domain/records/employer';
import { personSpellRecord } from '../../../src/domain/records/person-spell';
import { context, id18 } from './support';

describe('update timestamps', () => {
  const opts = { loadDate: '2024-06-30' };
  it.each([
    ['2023-05-06 07:08:09', '2023-05-06T07:08:09.000+08:00'],
    ['2023/5/6 7:08', '2023-05-06T07:08:00.000+08:00'],
    ['2023-05-06T07:08:09.5Z', '2023-05-06T07:08:09.500Z'],
    ['2023-05-06 07:08:09+0000', '2023-05-06T07:08:09.000+00:00'],
    ['20230506070809', '2023-05-06T07:08:09.000+08:00'],
    ['2023年5月6日 7:08:09', '2023-05-06T07:08:09.000+08:00'],
    ['2023-05-06', '2023-05-06T00:00:00.000+08:00'],
  ])('reads %p as an instant', (raw, iso) => {
    expect(parseUpdateTimestamp(raw, opts)).toEqual({ ok: true, value: iso, warnings: [] });
  });

  it('reads the time of day from an Excel serial fraction (1900 and 1904 systems)', () => {
    expect(parseUpdateTimestamp(45052.25, opts)).toEqual({ ok: true, value: '2023-05-06T06:00:00.000+08:00', warnings: [] });
    expect(parseUpdateTimestamp(45052.25 - 1462, { ...opts, date1904: true })).toEqual({ ok: true, value: '2023-05-06T06:00:00.000+08:00', warnings: [] });
  });

  it.each([
    ['0000-00-00 00:00:00', 'date.format'],
    ['2023-02-30 10:00', 'date.format'],
    ['2023-05-06 25:00', 'date.format'],
    ['yesterday', 'date.format'],
    ['2025-01-01 00:00', 'date.range'],
    ['1949-12-31 23:59', 'date.range'],
  ])('refuses %p with %s', (raw, code) => {
    const r = parseUpdateTimestamp(raw, opts);
    expect(r.ok ? null : r.reasons[0]!.code).toBe(code);
  });
});

describe('spreadsheet numbers and legacy keys', () => {
  it('rounds a double to the 15 significant digits Excel displays', () => {
    expect(spreadsheetNumber(0.1 + 0.2)).toBe(0.3);
    expect(spreadsheetNumber(1234.5600000000002)).toBe(1234.56);
    expect(spreadsheetNumber(123456789012.34)).toBe(123456789012.34);
    expect(spreadsheetNumber('0.30000000000000004')).toBe('0.30000000000000004');
  });

  it.each([
    [1001, '1001'],
    [1001.0, '1001'],
    [' E-07 ', 'E-07'],
    ['\u3000', null],
    [null, null],
  ])('legacy key %p → %p', (raw, key) => expect(legacyKeyText(raw)).toBe(key));

  it.each([
    [0.005, '0.005'],
    ['0.50%', '0.005'],
    ['5‰', '0.005'],
    ['150%', '1.5'],
    ['.75', '0.75'],
    ['１２％', '0.12'],
  ])('rate %p → %p', (raw, rate) => expect(parseRate(raw)).toEqual({ ok: true, value: rate, warnings: [] }));

  it.each(['', '-0.5%', 'abc', '1.2.3'])('refuses the rate %p', (raw) => expect(parseRate(raw).ok).toBe(false));
});

describe('natural keys with city references', () => {
  const ref: Reference = { field: 'employer_id', entity: 'employer', by: 'city_key', value: 'E1', missingCode: 'reference.employer_missing', inKey: true };
  it('replaces the token once the legacy key resolves, and is null until then', () => {
    const key = `X|${cityRefToken('employer', 'E1')}|2023-05`;
    expect(finalNaturalKey(key, [ref], () => '91430200MA4L00001P')).toBe('X|91430200MA4L00001P|2023-05');
    expect(finalNaturalKey(key, [ref], () => undefined)).toBeNull();
    expect(finalNaturalKey('plain', [{ ...ref, inKey: false }], () => undefined)).toBe('plain');
  });
});

describe('normalizeRow', () => {
  const ID = id18('43020219800101123');
  const spellBinding = (updatedAtField?: string): TableBinding => ({
    kind: personSpellRecord,
    binding: { headerRowNo: 1, positions: { id_number: 0, name: 1, employer_no: 2, start_date: 3, changed: 4 }, headerTexts: ['身份证号', '姓名', '单位编号', '参保日期', '更新时间'], unbound: [] },
    updatedAtField,
  });

  it('parses the update timestamp into an instant for latest-wins', () => {
    const r = normalizeRow({ stream: '', rowNo: 2, cells: [ID, '王伟', 'E1', '2019-01-01', '2023-05-06 07:08:09'] }, spellBinding('changed'), context());
    expect(r).toMatchObject({ kind: 'record', updatedAt: '2023-05-06T07:08:09.000+08:00' });
    expect(normalizeRow({ stream: '', rowNo: 2, cells: [ID, '王伟', 'E1', '2019-01-01', '2023-05-06 07:08:09'] }, spellBinding(), context())).toMatchObject({ updatedAt: null });
  });

  it('refuses an unreadable update timestamp like any date, keeping the row references', () => {
    const r = normalizeRow({ stream: '', rowNo: 2, cells: [ID, '王伟', 'E1', '2019-01-01', '0000-00-00 00:00:00'] }, spellBinding('changed'), context());
    expect(r).toMatchObject({ kind: 'rejected', reasons: [{ code: 'date.format', field: 'changed' }] });
    expect(r!.kind === 'rejected' && r!.refs!.map((x) => x.entity)).toEqual(['employer']);
  });

  it('compares records without provenance fields and ignored fields', () => {
    const payload = { employer_key: 'K', name: 'n', city_code: '430200', legacy_no: '1', remark_fen: '1', remark: 'x' };
    expect(comparableContent(payload, employerRecord, ['remark'])).toEqual({ employer_key: 'K', name: 'n' });
    expect(comparableContent({ a: 1 }, personSpellRecord)).toEqual({ a: 1 });
  });
});

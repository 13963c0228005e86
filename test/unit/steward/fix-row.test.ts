import path from 'node:path';
import { bindSqlColumns } from '../../../src/domain/normalize/bind-columns';
import { idCheckChar } from '../../../src/domain/rules/resident-id';
import { loadMapping } from '../../../src/mapping/load-mapping';
import { TableSchema } from '../../../src/mapping/schema';
import { fixContext, fixRowCells, fixRowLayout, previewFix, tableFor } from '../../../src/steward/fix-row';

const demo = loadMapping(path.resolve(__dirname, '../../../mappings/demo/430100-changsha.yaml')).mapping;
const persons = tableFor(demo, 'persons', '')!;
const ctx = fixContext(demo, persons, { cityCode: '430100', provinceCode: '43', loadDate: '2026-11-29', date1904: false });
const id = (first17: string) => first17 + idCheckChar(first17);

test('a fix row binds back through the mapping table: by header, alias, SQL column and position', () => {
  const table = TableSchema.parse({
    entity: 'person',
    columns: { name: '姓名', id_number: { header: '身份证号', aliases: ['公民身份号码'] }, gender: { position: 5 }, birth_date: { column: 'csrq' } },
  });
  const layout = fixRowLayout(table);
  expect(layout.index).toEqual({ gender: 4, name: 0, id_number: 1, birth_date: 2 });
  expect(layout.columns).toEqual(['姓名', '身份证号', 'csrq', '', '#gender']);
  expect(bindSqlColumns(table, layout.columns).positions).toEqual(layout.index);
  expect(fixRowCells(layout, { name: '张三', id_number: 430102, gender: '男', other: 'x' })).toEqual(['张三', 430102, null, null, '男']);
});

test('two fields bound by one header text cannot be laid out', () => {
  const table = TableSchema.parse({ entity: 'person', columns: { name: '姓名', id_number: '姓名' } });
  expect(() => fixRowLayout(table)).toThrow(/does not bind its own column labels back/);
});

test('the live preview is the pipeline normalization of the fix', () => {
  const good = id('43010219900307123');
  expect(previewFix(persons, ctx, { name: ' 张三 ', id_number: good, gender: '女' })).toMatchObject({
    kind: 'record',
    parts: [{ entity: 'person', naturalKey: good, payload: { id_number: good, name: '张三' } }],
    warnings: ['gender.conflict'],
  });
  const bad = previewFix(persons, ctx, { name: '', id_number: good.slice(0, 17) + (good[17] === '0' ? '1' : '0'), gender: null });
  expect(bad.kind).toBe('rejected');
  expect(bad.kind === 'rejected' && bad.reasons.map((r) => r.code).sort()).toEqual(['id_number.checksum', 'name.missing']);
  expect(previewFix(persons, ctx, { name: null, id_number: null, gender: null })).toEqual({ kind: 'skipped', code: 'skip.blank' });
});

test('the table of a stream is found as the pipeline finds it', () => {
  expect(tableFor(demo, 'persons', 'Sheet1')).toBe(persons);
  expect(tableFor(demo, 'nope', '')).toBeNull();
});

test('a summed column lays out its addends, so a steward fixes the addend the reject names', () => {
  const table = TableSchema.parse({
    entity: 'fund_year',
    columns: {
      year: '年度',
      contribution_income: { header: '保险费收入', unit: 'wan_yuan' },
      other_income: { sum: ['利息收入', '其他收入'], unit: 'wan_yuan' },
      expenditure: { header: '基金支出', unit: 'wan_yuan' },
    },
  });
  const layout = fixRowLayout(table);
  expect(layout.columns).toEqual(['年度', '保险费收入', '利息收入', '其他收入', '基金支出']);
  const fixCtx = fixContext({ city: { code: '430100', name: '长沙市' }, sources: [], codes: {} }, table, { cityCode: '430100', provinceCode: '43', loadDate: '2026-11-29', date1904: false });
  // the reject's raw fields are keyed as the pipeline picked them: the addends by slot
  const fixed = previewFix(table, fixCtx, { year: 2021, contribution_income: 1200, 'other_income+1': '0.5', 'other_income+2': 1, expenditure: 950 });
  expect(fixed).toMatchObject({ kind: 'record', parts: [{ payload: { other_income_fen: '1500000' } }] });
});

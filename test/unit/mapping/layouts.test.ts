/**
 * The pure parts of the mapping layouts: exact sums of money columns, the item-code pivot, and
 * the validation of pivot, sum and skip tables with their lines.
 */
import { bindHeaderColumns } from '../../../src/domain/normalize/bind-columns';
import { normalizeRow, tableBinding } from '../../../src/domain/normalize/normalize-row';
import { normalizePivotRows } from '../../../src/domain/normalize/pivot';
import { fenInUnit, sumAmounts } from '../../../src/domain/normalize/summed-amounts';
import type { NormalizeContext, RowResult } from '../../../src/domain/normalize/types';
import { recordKind } from '../../../src/domain/records';
import type { RawCell, RawRow } from '../../../src/extract/types';
import { MappingError, parseMappingText } from '../../../src/mapping/load-mapping';
import type { TableMapping } from '../../../src/mapping/schema';

const mappingWith = (table: string): string => `city: { code: "430100", name: 长沙市 }
sources:
  - id: funds
    files: [funds.xlsx]
    tables:
${table}`;

const tableOf = (yaml: string): TableMapping => parseMappingText(mappingWith(yaml), 'm.yaml').mapping.sources[0]!.tables[0]!;

function problemsOf(yaml: string): { line?: number; message: string }[] {
  try {
    parseMappingText(mappingWith(yaml), 'm.yaml');
  } catch (err) {
    if (err instanceof MappingError) return err.problems.map((p) => ({ line: p.line, message: p.message }));
    throw err;
  }
  return [];
}

const ctxFor = (table: TableMapping): NormalizeContext => ({
  cityCode: '430100',
  provinceCode: '43',
  loadDate: '2024-06-30',
  date1904: false,
  codes: {},
  columns: { ...table.columns },
  uscExceptions: new Set(),
});

const rowsOf = (cells: RawCell[][]): RawRow[] => cells.map((c, i) => ({ stream: 's', rowNo: i + 1, cells: c }));

describe('summed amounts', () => {
  it('writes fen back in the unit exactly', () => {
    expect(fenInUnit(1n, 'wan_yuan')).toBe('0.000001');
    expect(fenInUnit(-123_456_789n, 'wan_yuan')).toBe('-123.456789');
    expect(fenInUnit(5n, 'yuan')).toBe('0.05');
    expect(fenInUnit(42n, 'fen')).toBe('42');
  });

  it('adds addends in integer fen, blank as 0, and names a bad addend', () => {
    // 0.1 + 0.2 as doubles is 0.30000000000000004: in fen it is exactly 30 fen
    expect(sumAmounts('other_income', [{ label: 'a', raw: 0.1 }, { label: 'b', raw: 0.2 }], 'yuan', false)).toEqual({ ok: true, value: '0.30', warnings: [] });
    expect(sumAmounts('other_income', [{ label: 'a', raw: '1.5' }, { label: 'b', raw: null }, { label: 'c', raw: '0.000001' }], 'wan_yuan', false)).toMatchObject({ ok: true, value: '1.500001' });
    expect(sumAmounts('other_income', [{ label: 'a', raw: null }, { label: 'b', raw: '  ' }], 'wan_yuan', false)).toMatchObject({ ok: true, value: null });
    expect(sumAmounts('other_income', [{ label: '利息收入', raw: '-1' }, { label: '其他收入', raw: 'x' }], 'yuan', false)).toEqual({
      ok: false,
      reasons: [
        { code: 'amount.negative', field: 'other_income', detail: '利息收入: -1' },
        { code: 'amount.format', field: 'other_income', detail: '其他收入: x' },
      ],
    });
  });

  it('reads a summed column of a row through the record kind', () => {
    const table = tableOf(`      - entity: fund_year
        columns:
          year: 年度
          contribution_income: { header: 收入, unit: wan_yuan }
          other_income: { sum: [利息收入, { header: 其他收入, aliases: [其它收入] }], unit: wan_yuan }
          expenditure: { header: 支出, unit: wan_yuan }
`);
    const header: RawRow = { stream: 's', rowNo: 1, cells: ['年度', '收入', '利息收入', '其它收入', '支出'] };
    const binding = bindHeaderColumns(table, [header]);
    expect(binding.positions).toEqual({ year: 0, contribution_income: 1, 'other_income+1': 2, 'other_income+2': 3, expenditure: 4 });
    const result = normalizeRow({ stream: 's', rowNo: 2, cells: [2020, 10, 0.25, 0.000001, 5] }, tableBinding(table, binding, recordKind), ctxFor(table)) as Extract<RowResult, { kind: 'record' }>;
    // 10 万元 = 100,000 元; 0.25 万元 + 0.000001 万元 = 2,500.01 元
    expect(result.parts[0]!.payload).toMatchObject({ other_income_fen: '250001', contribution_income_fen: '10000000' });
  });
});

describe('item-code pivot', () => {
  const table = tableOf(`      - entity: fund_year
        columns:
          year: 年度
        pivot:
          key: 编码
          value: 金额
          unit: yuan
          codes: { JY01: contribution_income, JY02: other_income, JY03: other_income, JY05: expenditure }
`);
  const pivotOf = (cells: RawCell[][]) => {
    const rows = rowsOf([['年度', '编码', '金额'], ...cells]);
    return normalizePivotRows(rows, tableBinding(table, bindHeaderColumns(table, rows), recordKind), table.pivot!, ctxFor(table));
  };

  it('makes one record of a group, summing the codes of one field, folding the other rows', () => {
    const out = pivotOf([
      [2020, 'JY01', '1000.10'],
      [2020, 'JY02', '0.1'],
      [2020, 'JY03', '0.2'],
      [2020, 'JY05', '800'],
    ]);
    expect(out[0]).toBeNull();
    const records = out.slice(1) as Extract<RowResult, { kind: 'record' }>[];
    expect(records.map((r) => r.kind)).toEqual(['record', 'record', 'record', 'record']);
    expect(records[0]!.parts[0]).toMatchObject({ naturalKey: '430100:2020:final_accounts', payload: { contribution_income_fen: '100010', other_income_fen: '30', expenditure_fen: '80000', unit: 'yuan' } });
    expect(records.map((r) => r.warnings)).toEqual([[], ['pivot.folded'], ['pivot.folded'], ['pivot.folded']]);
    // every row stages the same record: duplicate resolution keeps the first, merges the others
    expect(new Set(records.map((r) => JSON.stringify(r.parts)))).toHaveProperty('size', 1);
  });

  it('rejects every row of a group with an unknown, a repeated or a missing code', () => {
    const out = pivotOf([
      [2021, 'JY01', '1'],
      [2021, 'JY09', '1'],
      [2021, 'JY05', '1'],
      [2022, 'JY01', '1'],
      [2022, 'JY01', '2'],
      [2022, 'JY05', '1'],
      [2023, 'JY01', '1'],
    ]);
    const codes = out.slice(1).map((r) => (r?.kind === 'rejected' ? r.reasons.map((x) => x.code) : r?.kind));
    expect(codes).toEqual([
      ['pivot.code_unknown'],
      ['pivot.code_unknown'],
      ['pivot.code_unknown'],
      ['pivot.code_duplicate'],
      ['pivot.code_duplicate'],
      ['pivot.code_duplicate'],
      ['pivot.code_missing'],
    ]);
    const missing = out[7] as Extract<RowResult, { kind: 'rejected' }>;
    expect(missing.reasons).toEqual([{ code: 'pivot.code_missing', field: 'expenditure', detail: 'no row with item code JY05 in this group' }]);
  });

  it('names the row of a bad amount, and rejects the group', () => {
    const out = pivotOf([
      [2020, 'JY01', '1'],
      [2020, 'JY02', '1.234'],
      [2020, 'JY03', '1'],
      [2020, 'JY05', '1'],
    ]);
    expect((out[1] as Extract<RowResult, { kind: 'rejected' }>).reasons).toEqual([{ code: 'amount.precision', field: 'other_income', detail: 'row 3 (JY02): 1.234 yuan' }]);
  });
});

describe('validation of the layouts', () => {
  it('accepts a skip table with nothing else', () => {
    expect(problemsOf('      - { stream: dm_dylx, skip: true }\n')).toEqual([]);
  });

  it('refuses a skip table that binds, and a table without entity or skip', () => {
    expect(problemsOf('      - { stream: dm_dylx, skip: true, entity: employer }\n')).toEqual([{ line: 6, message: 'a skip: true table holds no records and binds nothing (remove entity)' }]);
    expect(problemsOf('      - { stream: code_x, columns: { a: b } }\n')).toEqual([{ line: 6, message: 'a table needs entity (the record kind its rows feed), or skip: true for a sheet/table that holds no records' }]);
  });

  it('refuses a sum beside a header, a sum without unit and a sum of a non-money field', () => {
    expect(problemsOf(`      - entity: contribution
        columns:
          period: 期间
          employer_no: 单位编号
          amount_due: { sum: [a, b], header: c, unit: yuan }
`)[0]!.message).toBe('a summed column names its columns in `sum` only (no header, aliases, position or column beside it)');
    expect(problemsOf(`      - entity: contribution
        columns:
          period: { sum: [a, b] }
          employer_no: 单位编号
          amount_due: { sum: [a, b] }
`)).toEqual([
      { line: 8, message: 'period is not a money field; only money fields are summed (amount_due, amount_paid, payroll_base)' },
      { line: 8, message: 'a summed column declares its unit (unit: yuan, wan_yuan or fen): every addend is read in it' },
      { line: 10, message: 'a summed column declares its unit (unit: yuan, wan_yuan or fen): every addend is read in it' },
    ]);
  });

  it('checks the pivot: money fields, group_by, ignored codes, unit, required fields by codes', () => {
    const problems = problemsOf(`      - entity: fund_year
        columns:
          year: 年度
        pivot:
          key: 编码
          value: 金额
          codes: { JY01: contribution_income, JY02: year, JY03: expenditur }
          ignore_codes: [JY01]
          group_by: [yaer]
`);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [7, 'fund_year needs a column for expenditure — did you mean "expenditur"?'],
      [13, 'item code JY01 is both mapped and ignored'],
      [12, 'item code JY02 names "year", not a money field of fund_year (money fields: contribution_income, other_income, expenditure)'],
      [12, 'item code JY03 names "expenditur", not a money field of fund_year — did you mean "expenditure"? (money fields: contribution_income, other_income, expenditure)'],
      [14, 'group_by names "yaer", which no column binds — did you mean "year"? (columns: year)'],
      [9, 'an item-code layout declares the unit of its value column (unit: yuan, wan_yuan or fen)'],
    ]);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkMapping } from '../../../src/mapping/check';
import { parseMappingText, MappingError } from '../../../src/mapping/load-mapping';
import { idCheckChar } from '../../../src/domain/rules/resident-id';

const ID = '43010219800101101' + idCheckChar('43010219800101101');

const MAPPING = `city: { code: "430100", name: 长沙市 }
sources:
  - id: spells
    files: [spells.csv]
    tables:
      - entity: person_spell
        columns:
          id_number: 身份证号
          name: 姓名
          gender: { header: 性别, codes: gender }
          employer_no: 单位编号
          start_date: 参保日期
        ignore: [序号]
codes:
  gender: { 男: M, 女: F }
`;

function problemsOf(text: string): { line?: number; message: string }[] {
  try {
    parseMappingText(text, 'm.yaml');
  } catch (err) {
    if (err instanceof MappingError) return err.problems;
    throw err;
  }
  return [];
}

describe('mapping validation', () => {
  it('accepts the mapping as written', () => {
    expect(problemsOf(MAPPING)).toEqual([]);
  });

  it('names the line of a mistyped key and the nearest valid key', () => {
    const problems = problemsOf(MAPPING.replace('        ignore: [序号]', '        ignroe: [序号]'));
    expect(problems).toEqual([{ line: 13, path: 'sources.0.tables.0.ignroe', message: expect.stringContaining('unknown key "ignroe" — did you mean "ignore"?') as string }]);
  });

  it('names the line of a mistyped column option and a mistyped field', () => {
    const text = MAPPING.replace('gender: { header: 性别, codes: gender }', 'gender: { header: 性别, code: gender }').replace('          start_date: 参保日期', '          start_dat: 参保日期');
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.line, p.message.split(' (')[0]])).toEqual([[10, 'unknown key "code" — did you mean "codes"?']]);
    // shape first; once the shape is right, the fields are checked against the record kind
    const fields = problemsOf(MAPPING.replace('          start_date: 参保日期', '          start_dat: 参保日期'));
    expect(fields.map((p) => [p.line, p.message.split(' (')[0]])).toEqual([
      [12, 'unknown field "start_dat" for person_spell — did you mean "start_date"?'],
      [7, 'person_spell needs a column for start_date — did you mean "start_dat"?'],
    ]);
  });

  it('checks entities, code tables and their provincial values', () => {
    const text = MAPPING.replace('entity: person_spell', 'entity: person_spel').replace('codes: gender }', 'codes: gendr }');
    expect(problemsOf(text)[0]!.message).toMatch(/^unknown entity "person_spel" — did you mean "person_spell"\?/);
    expect(problemsOf(MAPPING.replace('codes: gender }', 'codes: gendr }'))[0]).toMatchObject({ line: 10, message: expect.stringMatching(/^no code table "gendr" — did you mean "gender"\?/) as string });
    expect(problemsOf(MAPPING.replace('男: M', '男: male'))[0]).toMatchObject({ line: 15, message: expect.stringMatching(/^code table gender translates "男" to "male", not a provincial gender/) as string });
  });
});

describe('mapping check (dry run)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapping-check-'));
    fs.writeFileSync(
      path.join(dir, 'spells.csv'),
      ['长沙市参保名册', '序号,身份证号,姓名,性别,单位编号,参保日期,备注', `1,${ID},张三,男,E1,2020-01-01,`, `2,${ID},张三,男,E2,2020-01-01,`, '3,123,李四,未知,E1,2020-01-01,', `4,${ID.slice(0, 17)}0,王五,女,E1,2020-01-01,`, '', '合计,,,,,,4人'].join('\n'),
    );
  });

  it('counts outcomes, unmapped codes with frequency, unbound columns and sample rejects, writing nothing', async () => {
    fs.writeFileSync(path.join(dir, '430100-check.yaml'), MAPPING);
    const check = await checkMapping(path.join(dir, '430100-check.yaml'), { provinceCode: '43', loadDate: '2024-06-30' });
    expect(check.ok).toBe(true);
    expect(check.streams).toHaveLength(1);
    const s = check.streams[0]!;
    expect(s).toMatchObject({
      headerRow: 2,
      read: 7,
      loaded: 2,
      rejected: 2,
      skipped: 3,
      duplicates: 0,
      bySkip: { 'skip.header': 1, 'skip.blank': 1, 'skip.subtotal': 1 },
      unboundFields: [],
      unboundColumns: ['备注'],
      unresolvedReferences: { 'reference.employer_missing': 2 },
    });
    expect(s.byReason).toEqual({ 'id_number.format': 1, 'id_number.checksum': 1 });
    expect(s.sampleRejects.map((r) => r.row)).toEqual([5, 6]);
    // the gender column is only compared with the ID: an unknown value there is no reject
    expect(s.unmappedCodes).toEqual([]);
  });

  it('names the line of a mistyped column header and the nearest header in the file', async () => {
    fs.writeFileSync(path.join(dir, '430100-typo.yaml'), MAPPING.replace('name: 姓名', 'name: 姓明').replace('start_date: 参保日期', 'start_date: 参保曰期'));
    const check = await checkMapping(path.join(dir, '430100-typo.yaml'), { provinceCode: '43', loadDate: '2024-06-30' });
    expect(check.ok).toBe(false);
    expect(check.problems.map((p) => [p.line, p.message.split(' (')[0]])).toEqual([
      [9, 'spells.csv: no column "姓明" for name — did you mean "姓名"?'],
      [12, 'spells.csv: no column "参保曰期" for start_date — did you mean "参保日期"?'],
    ]);
  });

  it('dry-runs extra: fields and the new fields against the load date given, and names an extra that finds no column', async () => {
    const text = MAPPING.replace('          start_date: 参保日期\n', '          start_date: 参保日期\n          monthly_wage: 备注\n').replace(
      '        ignore: [序号]',
      '        ignore: [序号]\n        extra:\n          listed: { header: 参保日期, type: date }\n          missing: { header: 入职日期, type: date }',
    );
    fs.writeFileSync(path.join(dir, '430100-extras.yaml'), text);
    const at = async (loadDate: string) => (await checkMapping(path.join(dir, '430100-extras.yaml'), { provinceCode: '43', loadDate })).streams[0]!;
    const check = await checkMapping(path.join(dir, '430100-extras.yaml'), { provinceCode: '43', loadDate: '2024-06-30' });
    expect(check.problems).toEqual([expect.objectContaining({ line: 17, path: 'sources.0.tables.0.extra.missing', message: expect.stringMatching(/^spells\.csv: no column "入职日期" for extra\.missing/) as string })]);
    expect((await at('2024-06-30')).byReason).toEqual({ 'id_number.format': 1, 'id_number.checksum': 1 });
    // the same rows against an earlier load date: every row's start date and extra are after it
    expect((await at('2019-12-31')).byReason).toEqual({ 'id_number.format': 1, 'id_number.checksum': 1, 'date.range': 4 });
  });

  it('reports code values no table translates, with their frequency', async () => {
    fs.writeFileSync(path.join(dir, 'cases.csv'), ['认定书编号,身份证号,单位编号,事故日期,认定日期,结论,类型', `C1,${ID},E1,2023-01-01,2023-02-01,认定,01`, `C2,${ID},E1,2023-01-01,2023-02-01,作废,01`, `C3,${ID},E1,2023-01-01,2023-02-01,作废,09`].join('\n'));
    fs.writeFileSync(
      path.join(dir, '430100-cases.yaml'),
      `city: { code: "430100", name: 长沙市 }
sources:
  - id: cases
    files: [cases.csv]
    tables:
      - entity: injury_case
        columns: { case_no: 认定书编号, id_number: 身份证号, employer_no: 单位编号, accident_date: 事故日期, determination_date: 认定日期, result: { header: 结论, codes: result }, accident_type: { header: 类型, codes: acc } }
codes:
  result: { 认定: recognized }
  acc: { "01": workplace_accident }
`,
    );
    const check = await checkMapping(path.join(dir, '430100-cases.yaml'), { provinceCode: '43', loadDate: '2024-06-30' });
    expect(check.streams[0]!.unmappedCodes).toEqual([
      { field: 'result', value: '作废', rows: 2 },
      { field: 'accident_type', value: '09', rows: 1 },
    ]);
    expect(check.streams[0]!.unresolvedReferences).toEqual({ 'reference.person_missing': 1, 'reference.employer_missing': 1 });
  });
});

describe('mapping check of a workbook', () => {
  it('lists sheets no table binds', async () => {
    const XLSX = await import('xlsx');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapping-check-xlsx-'));
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['身份证号', '姓名'], [ID, '张三']]), '人员');
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['说明'], ['本表由系统导出'], ['联系人：王']]), '说明');
    XLSX.writeFile(book, path.join(dir, 'book.xlsx'));
    fs.writeFileSync(path.join(dir, '430100-book.yaml'), `city: { code: "430100", name: 长沙市 }
sources:
  - id: book
    files: [book.xlsx]
    tables:
      - stream: 人员
        entity: person
        columns: { id_number: 身份证号, name: 姓名 }
`);
    const check = await checkMapping(path.join(dir, '430100-book.yaml'), { provinceCode: '43', loadDate: '2024-06-30' });
    expect(check.streams.map((s) => [s.stream, s.loaded])).toEqual([['人员', 1]]);
    expect(check.unmappedStreams).toEqual([{ file: 'book.xlsx', stream: '说明', rows: 3 }]);
  });
});

/**
 * A city fund workbook in the layouts a mapping must reach (issue #14): an item-code sheet (one
 * row per 项目编码, amounts in 万元) pivoted into fund_position records, a yearly sheet whose other
 * income is two columns summed, a code table declared `skip: true`, and a notes sheet no table
 * binds ("not mapped"). Written by the tests that use it; the expected outcomes are beside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';

export const LAYOUTS_MAPPING = `city: { code: "430100", name: 长沙市 }
sources:
  - id: funds
    files: [data/funds.xlsx]
    format: xlsx
    tables:
      - stream: 项目明细
        entity: fund_position
        columns:
          city_code: 区划
          year: 年度
        pivot:
          key: 项目编码
          value: 金额
          unit: wan_yuan
          codes: { JY10: surplus, JY11: reserve, JY12: city_adjustment_fund }
          ignore_codes: [JY99]
      - stream: 年度收支
        entity: fund_year
        columns:
          year: 年度
          contribution_income: { header: 保险费收入, unit: wan_yuan }
          other_income: { sum: [利息收入, 其他收入], unit: wan_yuan }
          expenditure: { header: 基金支出, unit: wan_yuan }
      - stream: dm_dylx
        skip: true
`;

/** 项目明细: a title, the header, five groups (two good, three refused) and a total line. */
const ITEMS: (string | number | null)[][] = [
  ['长沙市工伤保险基金结余项目明细（单位：万元）'],
  ['区划', '年度', '项目编码', '项目名称', '金额'],
  // 2019: surplus 1234.5678 万元 with its "of which" parts; JY99 is a memo line the mapping ignores
  ['430100', 2019, 'JY10', '累计结余', 1234.5678],
  ['430100', 2019, 'JY11', '其中储备金', 100.25],
  ['430100', 2019, 'JY99', '备注行', 9999],
  ['430100', 2019, 'JY12', '其中市级调剂金', 50],
  ['430100', 2020, 'JY10', '累计结余', 2000],
  // the rows of a group need not be next to each other
  ['430100', 2021, 'JY10', '累计结余', 10],
  ['430100', 2020, 'JY11', '其中储备金', 0.000001],
  ['430100', 2021, 'JY77', '未知项目', 5],
  ['430100', 2022, 'JY10', '累计结余', 10],
  ['430100', 2022, 'JY10', '累计结余', 11],
  ['430100', 2023, 'JY11', '其中储备金', 3],
  ['合计', null, null, null, 5000],
];

/** 年度收支: other income = 利息收入 + 其他收入, exact in fen; two rows with a bad addend. */
const FLOWS: (string | number | null)[][] = [
  ['年度', '保险费收入', '利息收入', '其他收入', '基金支出'],
  [2019, 1000, 1.5, 2.25, 800],
  [2020, 1100, null, 0.000001, 900],
  [2021, 1200, 'abc', 1, 950],
  [2022, 1300, 0.0000001, 1, 1000],
];

const CODE_TABLE: string[][] = [
  ['代码', '名称'],
  ['11', '工伤医疗费'],
  ['12', '一次性伤残补助金'],
  ['13', '伤残津贴'],
];

const NOTES: string[][] = [['本表由市社保中心导出'], ['金额单位：万元']];

/** Writes the mapping and its workbook under `dir`; returns the mapping file. */
export function writeLayoutsFixture(dir: string): string {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(ITEMS), '项目明细');
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(FLOWS), '年度收支');
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(CODE_TABLE), 'dm_dylx');
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(NOTES), '说明');
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'data', 'funds.xlsx'), XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  const mapping = path.join(dir, '430100-layouts.yaml');
  fs.writeFileSync(mapping, LAYOUTS_MAPPING);
  return mapping;
}

/** What becomes of the rows, per sheet (the same in `mapping check` and in the pipeline). */
export const LAYOUTS_EXPECTED = {
  items: {
    read: 13,
    loaded: 2,
    rejected: 5,
    skipped: 2,
    duplicates: 4,
    byReason: { 'pivot.code_unknown': 2, 'pivot.code_duplicate': 2, 'pivot.code_missing': 1 },
    bySkip: { 'skip.header': 1, 'skip.subtotal': 1 },
    warnings: { 'pivot.folded': 4 },
  },
  flows: { read: 4, loaded: 2, rejected: 2, skipped: 0, duplicates: 0, byReason: { 'amount.format': 1, 'amount.precision': 1 } },
  codeTable: { read: 4, loaded: 0, rejected: 0, skipped: 4, duplicates: 0, bySkip: { 'skip.table': 4 } },
} as const;

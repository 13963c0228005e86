import * as XLSX from 'xlsx';
import { columnKey, readRejectWorkbook } from '../../../src/steward/reject-workbook';
import { writeProtectedWorkbook } from '../../../src/steward/xlsx-protection';

function workbook(rows: unknown[][]): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['城市', '430100']]), '说明');
  const ws = XLSX.utils.aoa_to_sheet(rows);
  ws['!cols'] = rows[0]!.map(() => ({ wch: 12 }));
  XLSX.utils.book_append_sheet(wb, ws, '参保人员');
  return wb;
}

const HEADER = ['编号(reject_id)', '版本(revision)', '拒收原因(reasons)', '来源位置(locator)', '身份证号(id_number)', '姓名(name)', '不是记录的理由(not_a_record)'];

test('column keys are the parenthesised names', () => {
  expect(columnKey('身份证号(id_number)')).toBe('id_number');
  expect(columnKey(' 姓名 (name) ')).toBe('name');
  expect(columnKey('备注')).toBeNull();
  expect(columnKey(3)).toBeNull();
});

test('rows are read back by key, formulas un-neutralised, blank rows and other sheets ignored', () => {
  const buf = XLSX.write(
    workbook([
      HEADER,
      [17, 2, '身份证号校验位错误', 'a.csv / - / 第5行', '430102199001011235', "'=1+1", null],
      [],
      ['x', 'y', null, null, 430102900101123, '李四', '测试数据'],
    ]),
    { type: 'buffer', bookType: 'xlsx' },
  ) as Buffer;
  expect(readRejectWorkbook(buf)).toEqual([
    { sheet: '参保人员', rowNo: 2, rejectId: '17', revision: 2, values: { id_number: '430102199001011235', name: '=1+1' }, justification: null },
    { sheet: '参保人员', rowNo: 4, rejectId: null, revision: null, values: { id_number: 430102900101123, name: '李四' }, justification: '测试数据' },
  ]);
});

test('protected workbooks lock every cell but the editable columns, and still read back', () => {
  const wb = workbook([HEADER, [17, 2, 'r', 'l', '430102199001011235', '张三', null]]);
  wb.Sheets['参保人员']!.F2 = { t: 's', v: '张三', z: '@' };
  const buf = writeProtectedWorkbook(wb, { 参保人员: [4, 5, 6] });
  const zip = XLSX.CFB.read(buf, { type: 'buffer' }) as { FullPaths: string[]; FileIndex: { content: Uint8Array }[] };
  const file = (suffix: string) => Buffer.from(zip.FileIndex[zip.FullPaths.findIndex((p) => p.endsWith(suffix))]!.content).toString();
  const sheet = file('xl/worksheets/sheet2.xml');
  const xfs = /<cellXfs count="(\d+)">(.*?)<\/cellXfs>/.exec(file('xl/styles.xml'))!;
  const styles = xfs[2]!.match(/<xf\b[^>]*?(\/>|>.*?<\/xf>)/g)!;
  expect(styles).toHaveLength(Number(xfs[1]));
  const styleOf = (ref: string) => styles[Number(new RegExp(`<c r="${ref}"[^>]*? s="(\\d+)"`).exec(sheet)?.[1] ?? 0)]!;
  expect(sheet).toContain('<sheetProtection sheet="1"');
  expect(file('xl/worksheets/sheet1.xml')).toContain('<sheetProtection sheet="1"');
  expect(['A2', 'B2', 'C2', 'D2', 'E1'].map((c) => /locked="0"/.test(styleOf(c)))).toEqual([false, false, false, false, false]);
  expect(['E2', 'F2'].map((c) => /locked="0"/.test(styleOf(c)))).toEqual([true, true]);
  // the text format survives on its unlocked twin; new cells in the columns default to it
  expect(styleOf('F2')).toContain('numFmtId="49"');
  expect(sheet).toMatch(/<col min="7" max="7"[^>]*style="\d+"/);
  expect(readRejectWorkbook(buf)[0]).toMatchObject({ rejectId: '17', values: { name: '张三' } });
});

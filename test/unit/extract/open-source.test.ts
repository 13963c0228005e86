import * as iconv from 'iconv-lite';
import * as XLSX from 'xlsx';
import { findHeaderRow, inspectSource, renderInspectReport } from '../../../src/extract/inspect';
import { detectFormat, openSource } from '../../../src/extract/open-source';
import { dropTrailingBlankRows } from '../../../src/extract/rows';
import { ExtractError, type RawRow } from '../../../src/extract/types';
import { collect, fixtureDir, rejection } from './fixture-files';

const dir = fixtureDir();
afterAll(() => dir.remove());

function xlsxBytes(rows: unknown[][], name = '明细'): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), name);
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

describe('detectFormat / openSource', () => {
  it('chooses by extension and confirms by magic bytes', async () => {
    expect(await detectFormat(dir.write('a.xlsx', xlsxBytes([['a']])))).toBe('xlsx');
    expect(await detectFormat(dir.write('renamed.dat', xlsxBytes([['a']])))).toBe('xlsx');
    expect(await detectFormat(dir.write('b.csv', 'a,b\n'))).toBe('csv');
    expect(await detectFormat(dir.write('b.tsv', 'a\tb\n'))).toBe('tsv');
    expect(await detectFormat(dir.write('my.sql', '-- MySQL dump 10.13\nINSERT INTO t VALUES (1);\n'))).toBe('mysqldump');
    expect(await detectFormat(dir.write('pg.sql', '--\n-- PostgreSQL database dump\n--\n'))).toBe('pgdump');
    expect(await detectFormat(dir.write('html.xls', '<html><table><tr><td>1</td></tr></table></html>'))).toBe('xls');
    expect(await detectFormat(dir.write('x.csv', 'a\n'), 'pgdump')).toBe('pgdump');
  });

  it.each([
    ['a CSV named .xlsx', 'fake.xlsx', Buffer.from('a,b\n1,2\n')],
    ['a zip named .csv', 'zip.csv', xlsxBytes([['a']])],
    ['binary junk named .xls', 'junk.xls', Buffer.from([1, 0, 2, 0, 3])],
  ])('rejects %s as wrong magic at byte 0', async (_, name, bytes) => {
    const err = await rejection(openSource({ file: dir.write(name, bytes) }));
    expect(err).toBeInstanceOf(ExtractError);
    expect(err).toMatchObject({ code: 'extract.wrong_magic', byteOffset: 0 });
  });

  it('opens each format with its encoding, date system and streams', async () => {
    const csv = await openSource({ file: dir.write('gbk.csv', iconv.encode('姓名\n张三\n', 'gbk')) });
    expect(csv).toMatchObject({ format: 'csv', encoding: 'gb18030', encodingSource: 'gb18030-fallback' });
    expect(await csv.streams()).toEqual([{ name: '' }]);
    expect(await collect(csv.rows())).toEqual([
      { stream: '', rowNo: 1, cells: ['姓名'], line: '姓名' },
      { stream: '', rowNo: 2, cells: ['张三'], line: '张三' },
    ]);
    const book = await openSource({ file: dir.write('b.xlsx', xlsxBytes([['x', 1]])) });
    expect(book).toMatchObject({ format: 'xlsx', date1904: false });
    expect(await collect(book.rows())).toEqual([{ stream: '明细', rowNo: 1, cells: ['x', 1] }]);
    const dump = await openSource({ file: dir.write('d.sql', 'CREATE TABLE t (a int, b text);\nINSERT INTO t VALUES (1,NULL);\n') });
    expect(dump.format).toBe('mysqldump');
    expect(await dump.streams()).toEqual([{ name: 't', columns: ['a', 'b'] }]);
  });
});

describe('inspectSource', () => {
  it('finds the header below a merged title and a unit line, counts rows per sheet', async () => {
    const file = dir.write(
      'ledger.xlsx',
      xlsxBytes([['某市2023年工伤保险待遇明细'], ['单位：元'], ['填报单位：某局', '', '日期：2024-01-05'], ['姓名', '身份证号', '金额', '备注'], ['张三', '110101198001010015', 100.5], ['李四', '110101198001010023', 200]]),
    );
    const report = await inspectSource(file, { sampleRows: 3 });
    expect(report.format).toBe('xlsx');
    expect(report.streams).toHaveLength(1);
    expect(report.streams[0]).toMatchObject({ name: '明细', rows: 6, header: { rowNo: 4, cells: ['姓名', '身份证号', '金额', '备注'] } });
    expect(report.streams[0]!.firstRows.map((r) => r.rowNo)).toEqual([1, 2, 3]);
    const text = renderInspectReport(report);
    expect(text).toContain('明细: 6 rows');
    expect(text).toContain('header:   row 4');
    expect(text).toContain('某市2023年工伤保险待遇…'); // long cells are cut to the column width
    expect(text).toMatch(/^4\* │ 姓名 +│ 身份证号 +│ 金额 +│ 备注$/m); // the header is shown even past the sample
  });

  it('reports SQL tables with their columns and no header row', async () => {
    const file = dir.write('i.sql', 'CREATE TABLE `t` (`a` int);\nINSERT INTO `t` VALUES (1),(2);\nINSERT INTO `u` VALUES (3);\n');
    const report = await inspectSource(file);
    expect(report.streams).toEqual([
      { name: 't', rows: 2, columns: ['a'], firstRows: [{ stream: 't', rowNo: 1, cells: [1] }, { stream: 't', rowNo: 2, cells: [2] }] },
      { name: 'u', rows: 1, firstRows: [{ stream: 'u', rowNo: 1, cells: [3] }] },
    ]);
    expect(report.encoding).toBe('utf-8');
  });

  it('does not take a row of numbers or a one-cell title for the header', () => {
    const row = (rowNo: number, ...cells: RawRow['cells']): RawRow => ({ stream: '', rowNo, cells });
    expect(findHeaderRow([row(1, '标题'), row(2, 1, 2, 3), row(3, '1', '2', '3')])).toBeUndefined();
    expect(findHeaderRow([row(1, '标题'), row(2, '编号', '名称', '金额'), row(3, '1', 'x', 2)])?.rowNo).toBe(2);
  });
});

describe('dropTrailingBlankRows', () => {
  it('yields blank rows between data rows and drops them at the end of each stream', async () => {
    const rows: RawRow[] = [
      { stream: 'a', rowNo: 1, cells: ['x'] },
      { stream: 'a', rowNo: 2, cells: [] },
      { stream: 'a', rowNo: 3, cells: [' ', null, '\u3000'] },
      { stream: 'a', rowNo: 4, cells: ['y'] },
      { stream: 'a', rowNo: 5, cells: [] },
      { stream: 'b', rowNo: 1, cells: [] },
      { stream: 'b', rowNo: 2, cells: [0] },
      { stream: 'b', rowNo: 3, cells: [''] },
    ];
    // blanks are held across batch boundaries
    async function* batches(): AsyncGenerator<RawRow[]> {
      yield rows.slice(0, 2);
      yield rows.slice(2, 3);
      yield rows.slice(3);
    }
    const out = (await collect(dropTrailingBlankRows(batches()))).flat();
    expect(out.map((r) => `${r.stream}:${r.rowNo}`)).toEqual(['a:1', 'a:2', 'a:3', 'a:4', 'b:1', 'b:2']);
  });
});

import { readFileSync } from 'node:fs';
import * as XLSX from 'xlsx';
import { openSource } from '../../../src/extract/open-source';
import { extractSpreadsheet, openSpreadsheet } from '../../../src/extract/spreadsheet';
import { ExtractError, ExtractLimitError, type RawRow } from '../../../src/extract/types';
import { isoDateSerial } from '../../../src/extract/xlsx-stream';
import { collect, fixtureDir, rejection } from './fixture-files';

const dir = fixtureDir();
afterAll(() => dir.remove());

/** A city ledger as cities send it: merged title, unit line, header, data, subtotal, a repeated header. */
function ledgerSheet(): XLSX.WorkSheet {
  const ws = XLSX.utils.aoa_to_sheet([
    ['某市工伤保险待遇支付明细表'],
    ['单位：元'],
    ['姓名', '金额', '支付日期', '单位编号'],
    ['买买提·艾力', 1200.5, 42908, '007'],
    [],
    ['张三', 300, 42909, '008'],
    ['小计', { t: 'n', v: 1500.5, f: 'SUM(B4:B6)' }],
    ['姓名', '金额', '支付日期', '单位编号'],
    ['李四', { t: 'n', v: 2, f: 'B6/150' }, 60, 12345678901234],
    ['', ''],
    [],
  ]);
  ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 3 } }];
  return ws;
}

function ledgerBook(date1904: boolean): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ledgerSheet(), '明细');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['编号', '启用'], [1, true], ['x\ny', false]]), 'Sheet2');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([]), '空表');
  wb.Workbook = { WBProps: { date1904 } };
  return wb;
}

const LEDGER: RawRow[] = [
  { stream: '明细', rowNo: 1, cells: ['某市工伤保险待遇支付明细表'] },
  { stream: '明细', rowNo: 2, cells: ['单位：元'] },
  { stream: '明细', rowNo: 3, cells: ['姓名', '金额', '支付日期', '单位编号'] },
  { stream: '明细', rowNo: 4, cells: ['买买提·艾力', 1200.5, 42908, '007'] },
  { stream: '明细', rowNo: 5, cells: [] },
  { stream: '明细', rowNo: 6, cells: ['张三', 300, 42909, '008'] },
  { stream: '明细', rowNo: 7, cells: ['小计', 1500.5] },
  { stream: '明细', rowNo: 8, cells: ['姓名', '金额', '支付日期', '单位编号'] },
  { stream: '明细', rowNo: 9, cells: ['李四', 2, 60, 12345678901234] },
  { stream: 'Sheet2', rowNo: 1, cells: ['编号', '启用'] },
  { stream: 'Sheet2', rowNo: 2, cells: [1, true] },
  { stream: 'Sheet2', rowNo: 3, cells: ['x\ny', false] },
];

describe('extractSpreadsheet', () => {
  const xlsx = dir.write('ledger.xlsx', XLSX.write(ledgerBook(false), { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  const xlsxSst = dir.write('ledger-sst.xlsx', XLSX.write(ledgerBook(true), { type: 'buffer', bookType: 'xlsx', bookSST: true }) as Buffer);
  const xls = dir.write('ledger.xls', XLSX.write(ledgerBook(true), { type: 'buffer', bookType: 'biff8' }) as Buffer);

  it.each([
    ['.xlsx (a small one: streamed too)', xlsx, 'streaming', false],
    ['.xlsx (shared strings, 1904)', xlsxSst, 'streaming', true],
    ['.xls (BIFF8, 1904) with SheetJS', xls, 'sheetjs', true],
  ])('reads %s: physical row numbers, cached formula values, numbers and text as found', async (_, file, reader, date1904) => {
    const book = await openSpreadsheet({ file });
    expect(book.reader).toBe(reader);
    expect(book.date1904).toBe(date1904);
    expect(book.streams.map((s) => s.name)).toEqual(['明细', 'Sheet2', '空表']);
    expect(await collect(book.rows())).toEqual(LEDGER);
    book.close();
  });

  it('resumes after a committed locator without re-reading earlier sheets', async () => {
    for (const file of [xlsx, xls]) {
      const rows = await collect(extractSpreadsheet({ file, resumeAfter: { stream: '明细', rowNo: 8 } }));
      expect(rows.map((r) => `${r.stream}:${r.rowNo}`)).toEqual(['明细:9', 'Sheet2:1', 'Sheet2:2', 'Sheet2:3']);
      const later = await collect(extractSpreadsheet({ file, resumeAfter: { stream: 'Sheet2', rowNo: 1 } }));
      expect(later.map((r) => `${r.stream}:${r.rowNo}`)).toEqual(['Sheet2:2', 'Sheet2:3']);
    }
  });

  it('streams rows far down a sheet, with the rows in between as empty rows', async () => {
    const ws = XLSX.utils.aoa_to_sheet([['h']]);
    XLSX.utils.sheet_add_aoa(ws, [['far', 1]], { origin: 'A70000' });
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'S');
    const file = dir.write('far.xlsx', XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const rows = await collect(extractSpreadsheet({ file }));
    expect(rows).toHaveLength(70000);
    expect(rows[1]).toEqual({ stream: 'S', rowNo: 2, cells: [] });
    expect(rows[69999]).toEqual({ stream: 'S', rowNo: 70000, cells: ['far', 1] });
  });

  it('reads ISO date cells (t="d") as serials in both readers, and streams renamed workbooks', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([[{ t: 'd', v: new Date(Date.UTC(2017, 5, 22)) }, 'x']]), 'S');
    const file = dir.write('iso-dates.dat', XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', cellDates: true }) as Buffer);
    const streaming = await openSpreadsheet({ file });
    expect(streaming.reader).toBe('streaming');
    expect(await collect(streaming.rows())).toEqual([{ stream: 'S', rowNo: 1, cells: [42908, 'x'] }]);
    const xlsFile = dir.write('iso-dates.xls', XLSX.write(wb, { type: 'buffer', bookType: 'biff8', cellDates: true }) as Buffer);
    expect(await collect(extractSpreadsheet({ file: xlsFile }))).toEqual([{ stream: 'S', rowNo: 1, cells: [42908, 'x'] }]);
  });

  it('turns ISO text into serials of either date system, wall-clock, and leaves other text alone', () => {
    expect(isoDateSerial('2017-06-22', false)).toBe(42908);
    expect(isoDateSerial('2017-06-22T12:00:00', false)).toBe(42908.5);
    expect(isoDateSerial('2017-06-22T00:00:00.000Z', true)).toBe(42908 - 1462);
    expect(isoDateSerial('2017.6.22', false)).toBe('2017.6.22');
  });

  it('enforces cell limits in both readers', async () => {
    for (const file of [xlsx, xls]) {
      const err = await rejection(collect(extractSpreadsheet({ file, limits: { maxCellsPerRow: 3 } })));
      expect(err).toBeInstanceOf(ExtractLimitError);
      expect(err).toMatchObject({ limit: 'maxCellsPerRow', stream: '明细', rowNo: 3 });
    }
  });

  it('fails on a truncated zip with the file and position', async () => {
    const bytes = readFileSync(xlsx);
    const file = dir.write('cut.xlsx', bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = await rejection(openSource({ file }));
    expect(err).toBeInstanceOf(ExtractError);
    expect(err).toMatchObject({ code: 'extract.zip_invalid', file, byteOffset: Math.floor(bytes.length / 2) });
    const streamed = await rejection(openSpreadsheet({ file }));
    expect(streamed).toMatchObject({ code: 'extract.zip_invalid', file });
  });

  it('fails on malformed sheet XML with the sheet name', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['a']]), 'S');
    const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: false }) as Buffer;
    // break the closing tag of the sheet data without changing the length (stored, not deflated)
    const broken = Buffer.from(bytes.toString('latin1').replace('</sheetData>', '</sheetDatX>'), 'latin1');
    const file = dir.write('broken.xlsx', broken);
    const err = await rejection(collect(extractSpreadsheet({ file })));
    expect(err).toBeInstanceOf(ExtractError);
    expect(err).toMatchObject({ code: 'extract.xlsx_invalid', stream: 'S' });
    expect(err.message).toContain('sheet1.xml');
  });
});

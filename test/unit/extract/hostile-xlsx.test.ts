/**
 * Hostile and broken workbooks (issue #16): every one ends in an ExtractError naming the file, the
 * sheet or zip entry and the limit — never a hang, never a sheet silently read as fewer rows.
 * The bytes are made here (zip-bytes.ts), headers lying where the case needs it.
 */
import { inspectSource } from '../../../src/extract/inspect';
import { openSource } from '../../../src/extract/open-source';
import { checkUploadedWorkbook } from '../../../src/extract/uploaded-workbook';
import { importRejectWorkbook } from '../../../src/steward/reject-workbook';
import { ExtractError, ExtractLimitError } from '../../../src/extract/types';
import { collect, fixtureDir, rejection } from './fixture-files';
import { rowXml, xlsxBytes } from './zip-bytes';

const dir = fixtureDir();
afterAll(() => dir.remove());

const HEADER = rowXml(1, ['姓名', '身份证号']);
const DATA = Array.from({ length: 200 }, (_, i) => rowXml(i + 2, [`张${i}`, `11010519491231${String(i).padStart(4, '0')}`])).join('');

async function readAll(file: string, limits?: Parameters<typeof openSource>[0]['limits']) {
  const source = await openSource({ file, ...(limits ? { limits } : {}) });
  return collect(source.rows());
}

describe('a sheet with <row r="4294967295">', () => {
  const bytes = xlsxBytes([{ name: '参保人员', rows: HEADER + rowXml(4294967295, ['x']) }]);
  const file = dir.write('huge-row.xlsx', bytes);

  it('is a small file', () => expect(bytes.length).toBeLessThan(2048));

  it('fails inspect at once, naming the sheet and Excel’s row limit', async () => {
    const err = await rejection(inspectSource(file));
    expect(err).toBeInstanceOf(ExtractError);
    expect(err).toMatchObject({ file, stream: '参保人员', code: 'extract.xlsx_invalid' });
    expect(err.message).toContain('sheet 参保人员 exceeds 1,048,576 rows');
    expect(err.message).toContain('4294967295');
  });

  it('reads a sheet formatted down to row 1,048,576 as its rows, the empty run costing nothing', async () => {
    // maxRows 5: had the 1,048,574 missing rows been made into rows and counted, this would fail
    const sparse = dir.write('sparse.xlsx', xlsxBytes([{ name: 'S', rows: HEADER + rowXml(3, ['a', 'b']) + '<row r="1048576"/>' }]));
    const rows = await readAll(sparse, { maxRows: 5 });
    expect(rows.map((r) => r.rowNo)).toEqual([1, 2, 3]);
    expect(rows[1]).toEqual({ stream: 'S', rowNo: 2, cells: [] });
  });
});

describe('zip entries whose headers lie', () => {
  const sheet = HEADER + DATA;
  const trueSize = Buffer.byteLength(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheet}</sheetData></worksheet>`);

  it('reads the honest workbook (the control)', async () => {
    const file = dir.write('honest.xlsx', xlsxBytes([{ name: '参保人员', rows: sheet }]));
    expect(await readAll(file)).toHaveLength(201);
  });

  it.each([
    ['both headers understate the sheet', { uncompressedSize: 100 }, { uncompressedSize: 100 }, /inflates to more bytes than the 100 its headers state/],
    ['both headers overstate the sheet', { uncompressedSize: trueSize + 7 }, { uncompressedSize: trueSize + 7 }, /inflates to fewer bytes/],
    ['the local header disagrees with the central directory', { uncompressedSize: 100 }, undefined, /local header uncompressed size 100 differs from the central directory's/],
    ['the CRC is wrong in both', { crc: 12345 }, { crc: 12345 }, /CRC-32 of the inflated data is [0-9a-f]{8}, its header says 00003039/],
  ] as const)('%s: an error naming the file and entry, not a short sheet', async (name, local, central, message) => {
    const file = dir.write(`lie-${name.replace(/\W+/g, '-')}.xlsx`, xlsxBytes([{ name: '参保人员', rows: sheet, ...(local ? { local } : {}), ...(central ? { central } : {}) }]));
    const err = await rejection(readAll(file));
    expect(err).toBeInstanceOf(ExtractError);
    expect(err).toMatchObject({ file, code: 'extract.zip_invalid' });
    expect(err.message).toContain('xl/worksheets/sheet1.xml');
    expect(err.message).toMatch(message);
    // and inspect (what mapping check and migrate read through too) says the same
    expect((await rejection(inspectSource(file))).message).toMatch(message);
  });
});

describe('zip bombs', () => {
  // 64 MB of white space between two rows deflates to about 64 KB (1000×)
  const padding = Buffer.alloc(64 * 1024 * 1024, 0x20);
  const rows = Buffer.concat([Buffer.from(HEADER), padding, Buffer.from(rowXml(2, ['a', 'b']))]);

  it('with honest headers: refused by the inflation ratio before inflating', async () => {
    const file = dir.write('bomb.xlsx', xlsxBytes([{ name: 'S', rows }]));
    const err = await rejection(readAll(file));
    expect(err).toBeInstanceOf(ExtractLimitError);
    expect(err).toMatchObject({ file, limit: 'maxZipRatio', code: 'extract.limit.maxZipRatio' });
    expect(err.message).toContain('zip entry xl/worksheets/sheet1.xml exceeds 500 times its compressed size');
  });

  it('with headers claiming a small entry: stopped by the header sizes', async () => {
    const file = dir.write('bomb-lying.xlsx', xlsxBytes([{ name: 'S', rows, local: { uncompressedSize: 4096 }, central: { uncompressedSize: 4096 } }]));
    expect(await rejection(readAll(file))).toMatchObject({ code: 'extract.zip_invalid' });
  });

  it('past the per-entry size limit, or the ratio while inflating', async () => {
    const file = dir.write('bomb-2.xlsx', xlsxBytes([{ name: 'S', rows }]));
    const big = await rejection(readAll(file, { maxEntryBytes: 1024 * 1024, maxZipRatio: 1e9 }));
    expect(big).toMatchObject({ limit: 'maxEntryBytes' });
    expect(big.message).toContain('exceeds 1,048,576 inflated bytes in one zip entry');
  });
});

describe('limits named in the message', () => {
  it('maxRows names the sheet and the number', async () => {
    const file = dir.write('rows.xlsx', xlsxBytes([{ name: '参保人员', rows: HEADER + DATA }]));
    const err = await rejection(readAll(file, { maxRows: 100 }));
    expect(err).toMatchObject({ limit: 'maxRows', stream: '参保人员', rowNo: 101 });
    expect(err.message).toContain('sheet/table 参保人员 exceeds 100 rows (limit maxRows)');
  });

  it('maxSeconds holds on a small .xlsx too (no reader runs unchecked)', async () => {
    const file = dir.write('slow.xlsx', xlsxBytes([{ name: 'S', rows: HEADER + DATA }]));
    expect(await rejection(readAll(file, { maxSeconds: -1 }))).toMatchObject({ limit: 'maxSeconds' });
  });
});

describe('.xls and other SheetJS-only workbooks', () => {
  const ssml = (index: string) =>
    `<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="参保人员"><Table><Row><Cell><Data ss:Type="String">a</Data></Cell></Row><Row ss:Index="${index}"><Cell><Data ss:Type="String">b</Data></Cell></Row></Table></Worksheet></Workbook>`;

  it('a SpreadsheetML .xls with ss:Index="4294967295" fails naming the sheet, not a silent cut or a hang', async () => {
    const file = dir.write('huge-row.xls', ssml('4294967295'));
    const err = await rejection(readAll(file));
    expect(err).toMatchObject({ file, stream: '参保人员' });
    expect(err.message).toContain('sheet 参保人员 exceeds 1,048,576 rows');
  });

  it('the row limit holds before SheetJS builds the rows', async () => {
    const file = dir.write('rows-10.xls', ssml('10'));
    expect(await readAll(file)).toHaveLength(10);
    const err = await rejection(readAll(file, { maxRows: 5 }));
    expect(err).toMatchObject({ limit: 'maxRows', stream: '参保人员' });
    expect(err.message).toContain('sheet 参保人员 exceeds 5 rows');
  });

  it('the time limit stops the parse (it runs off the event loop)', async () => {
    const file = dir.write('t.xls', ssml('3'));
    expect(await rejection(readAll(file, { maxSeconds: -1 }))).toMatchObject({ limit: 'maxSeconds' });
  });
});

describe('a steward’s uploaded workbook', () => {
  it('is read through the guarded reader before SheetJS ever sees it', async () => {
    const bomb = xlsxBytes([{ name: '拒收', rows: HEADER + rowXml(4294967295, ['x']) }]);
    const err = await rejection(checkUploadedWorkbook(bomb, 'rejects-430100.xlsx'));
    expect(err).toMatchObject({ file: 'rejects-430100.xlsx', code: 'extract.xlsx_invalid' });
    expect(err.message).toMatch(/^rejects-430100\.xlsx, sheet\/table 拒收, row \d+: sheet 拒收 exceeds 1,048,576 rows/);
    // the import refuses it before it reads a reject (nothing else is touched: no deps needed)
    expect(await rejection(importRejectWorkbook({} as never, {} as never, bomb))).toMatchObject({ code: 'extract.xlsx_invalid' });
    await expect(checkUploadedWorkbook(xlsxBytes([{ name: 'S', rows: HEADER + DATA }]), 'ok.xlsx')).resolves.toBeUndefined();
  });
});

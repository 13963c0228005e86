import * as iconv from 'iconv-lite';
import { extractCsv, openCsv } from '../../../src/extract/csv';
import { ExtractError, ExtractLimitError } from '../../../src/extract/types';
import { collect, fixtureDir, rejection } from './fixture-files';

const dir = fixtureDir();
afterAll(() => dir.remove());

const PEOPLE = [
  '姓名,身份证号,金额',
  '买买提·艾力,650102199001011234,"1,200.50"',
  '"王""小""二",110101198001010015,"多行',
  '备注"',
  '',
  '李四,,3',
  '姓名,身份证号,金额',
  '𠮷田,110101198001010015,0',
  '',
  '',
].join('\r\n');

// plain lines (no quotes) also come as written (`line`), for landing to store as they are
const EXPECTED = [
  { stream: '', rowNo: 1, cells: ['姓名', '身份证号', '金额'], line: '姓名,身份证号,金额' },
  { stream: '', rowNo: 2, cells: ['买买提·艾力', '650102199001011234', '1,200.50'] },
  { stream: '', rowNo: 3, cells: ['王"小"二', '110101198001010015', '多行\r\n备注'] },
  { stream: '', rowNo: 4, cells: [''], line: '' },
  { stream: '', rowNo: 5, cells: ['李四', '', '3'], line: '李四,,3' },
  { stream: '', rowNo: 6, cells: ['姓名', '身份证号', '金额'], line: '姓名,身份证号,金额' },
  { stream: '', rowNo: 7, cells: ['𠮷田', '110101198001010015', '0'], line: '𠮷田,110101198001010015,0' },
];

describe('extractCsv', () => {
  it.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(PEOPLE)]), 'utf-8', 'bom'],
    ['UTF-8', Buffer.from(PEOPLE), 'utf-8', 'utf-8-valid'],
    ['GB18030 (four-byte 𠮷)', iconv.encode(PEOPLE, 'gb18030'), 'gb18030', 'gb18030-fallback'],
  ])('reads %s: records, multi-line quoted fields, doubled quotes, blank and repeated rows', async (_, bytes, encoding, source) => {
    const file = dir.write(`people-${source}.csv`, bytes);
    const csv = await openCsv({ file });
    expect(csv.encoding).toMatchObject({ encoding, source });
    expect(await collect(csv.rows())).toEqual(EXPECTED);
  });

  it('reads GBK without the four-byte character, decoded as GB18030', async () => {
    const gbk = PEOPLE.replace('𠮷田', '吉田');
    const file = dir.write('gbk.csv', iconv.encode(gbk, 'gbk'));
    const rows = await collect(extractCsv({ file }));
    expect(rows).toHaveLength(7);
    expect(rows[1]!.cells[0]).toBe('买买提\u00b7艾力');
    expect(rows[6]!.cells[0]).toBe('吉田');
  });

  it('reads TSV by extension, keeping commas inside fields', async () => {
    const file = dir.write('t.tsv', 'a\tb,c\n"x\ty"\t2\n');
    expect(await collect(extractCsv({ file }))).toEqual([
      { stream: '', rowNo: 1, cells: ['a', 'b,c'], line: 'a\tb,c' },
      { stream: '', rowNo: 2, cells: ['x\ty', '2'] },
    ]);
  });

  it('keeps a stray quote inside an unquoted field as data', async () => {
    const file = dir.write('stray.csv', '软盘,3.5" 1.44M\n');
    expect((await collect(extractCsv({ file })))[0]!.cells).toEqual(['软盘', '3.5" 1.44M']);
  });

  it('accepts a backslash escape character when declared', async () => {
    const file = dir.write('bs.csv', 'a,"say \\"hi\\""\n');
    expect((await collect(extractCsv({ file, escape: '\\' })))[0]!.cells).toEqual(['a', 'say "hi"']);
  });

  it('fails on invalid bytes under a declared encoding with the byte offset', async () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n'), iconv.encode('张三', 'gbk'), Buffer.from('\n')]);
    const file = dir.write('lie.csv', bytes);
    const err = await rejection(collect(extractCsv({ file, encoding: 'utf-8' })));
    expect(err).toBeInstanceOf(ExtractError);
    expect(err).toMatchObject({ code: 'extract.encoding_invalid', byteOffset: 4, file });
  });

  it('reports an unterminated quote as a parse error with the record number', async () => {
    const file = dir.write('open.csv', 'a,b\n"never closed,1\n');
    const err = await rejection(collect(extractCsv({ file })));
    expect(err).toMatchObject({ code: 'extract.csv_invalid', rowNo: 2 });
  });

  it('skips up to the resume point and fails when the point is not in the file', async () => {
    const file = dir.write('resume.csv', 'h\n1\n2\n3\n');
    expect((await collect(extractCsv({ file, resumeAfter: { stream: '', rowNo: 2 } }))).map((r) => r.rowNo)).toEqual([3, 4]);
    const err = await rejection(collect(extractCsv({ file, resumeAfter: { stream: 'other', rowNo: 1 } })));
    expect(err).toMatchObject({ code: 'extract.resume_not_found' });
  });

  it.each([
    ['maxCellsPerRow', { maxCellsPerRow: 2 }, 'a,b,c\n', 1],
    ['maxCellChars', { maxCellChars: 3 }, 'abc\nabcd\n', 2],
    ['maxRows', { maxRows: 2 }, '1\n2\n3\n', 3],
  ] as const)('enforces %s with the row locator', async (limit, limits, content, rowNo) => {
    const file = dir.write(`limit-${limit}.csv`, content);
    const err = await rejection(collect(extractCsv({ file, limits })));
    expect(err).toBeInstanceOf(ExtractLimitError);
    expect(err).toMatchObject({ limit, rowNo, code: `extract.limit.${limit}` });
  });

  it('enforces maxBytes before reading and maxSeconds while reading', async () => {
    const file = dir.write('big.csv', 'x\n'.repeat(1000));
    expect(await rejection(collect(extractCsv({ file, limits: { maxBytes: 100 } })))).toMatchObject({ limit: 'maxBytes' });
    expect(await rejection(collect(extractCsv({ file, limits: { maxSeconds: -1 } })))).toMatchObject({ limit: 'maxSeconds' });
  });
});

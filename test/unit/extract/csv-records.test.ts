/**
 * The fast CSV splitter must give csv-parse's records and csv-parse's errors, exactly: compared
 * on seeded random files built from the characters that matter (delimiters, quotes, CR, LF,
 * backslashes, tabs, CJK), pushed in random chunk sizes.
 */
import { parse } from 'csv-parse/sync';
import { CsvRecordError, CsvRecordSplitter, CsvRecordTooLong, csvParseOptions, discoverRecordDelimiter, splitStrictLine, type CsvDialect } from '../../../src/extract/csv-records';
import { seededRandom } from '../../../src/demo/prng';
import type { RawRow } from '../../../src/extract/types';
import { plainRow } from './fixture-files';

type Outcome = { records: string[][] } | { error: string; recordIndex: number };

function viaCsvParse(text: string, dialect: CsvDialect): Outcome {
  try {
    return { records: parse(text, csvParseOptions(dialect)) as string[][] };
  } catch (err) {
    const e = err as { code: string; records?: number };
    return { error: e.code, recordIndex: e.records ?? 0 };
  }
}

function viaSplitter(text: string, dialect: CsvDialect, rd: '\n' | '\r\n', chunkSizes: () => number): Outcome {
  const splitter = new CsvRecordSplitter(dialect, rd);
  const rows: RawRow[] = [];
  try {
    for (let i = 0; i < text.length; ) {
      const n = chunkSizes();
      splitter.push(text.slice(i, i + n), rows);
      i += n;
    }
    splitter.end(rows);
    rows.forEach((row, i) => {
      if (row.rowNo !== i + 1) throw new Error(`row ${i + 1} numbered ${row.rowNo}`);
      // a line kept as written must give back exactly the cells, and hold nothing COPY would escape
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
      if (row.line !== undefined && (JSON.stringify(row.line.split(dialect.delimiter)) !== JSON.stringify(row.cells) || /[\\\x00-\x1f]/.test(row.line))) {
        throw new Error(`line ${JSON.stringify(row.line)} does not give ${JSON.stringify(row.cells)}`);
      }
    });
    return { records: rows.map((r) => r.cells as string[]) };
  } catch (err) {
    if (!(err instanceof CsvRecordError)) throw err;
    return { error: err.csvError.code, recordIndex: err.recordIndex };
  }
}

const PIECES = ['a', '中', '𠮷', ' ', ',', ',', '"', '"', '""', '\n', '\n', '\r\n', '\r', '\t', '\\', '\u3000', '12.5'];

function randomField(rand: () => number): string {
  const kind = rand();
  if (kind < 0.4) return ['张三', '430102199001011234', '1,200.50', '', '男'][Math.floor(rand() * 5)]!;
  if (kind < 0.6) {
    const inner = ['多\n行', 'say ""hi""', 'a,b', '', '\r\n'][Math.floor(rand() * 5)]!;
    return `"${inner}"`;
  }
  let s = '';
  const len = Math.floor(rand() * 5);
  for (let i = 0; i < len; i++) s += PIECES[Math.floor(rand() * PIECES.length)]!;
  return s;
}

function randomFile(rand: () => number, lineEnd: string): string {
  const records: string[] = [];
  const count = 1 + Math.floor(rand() * 12);
  for (let r = 0; r < count; r++) {
    const fields: string[] = [];
    const width = 1 + Math.floor(rand() * 4);
    for (let f = 0; f < width; f++) fields.push(randomField(rand));
    records.push(fields.join(','));
  }
  return records.join(lineEnd) + (rand() < 0.7 ? lineEnd : '');
}

describe('CsvRecordSplitter', () => {
  it.each([
    ['"', '\n'],
    ['"', '\r\n'],
    ['\\', '\n'],
  ])('gives csv-parse’s records and errors on 1,500 random files (escape %j, lines end %j)', (escape, lineEnd) => {
    const rand = seededRandom(escape === '"' ? (lineEnd === '\n' ? 11 : 12) : 13);
    const dialect: CsvDialect = { delimiter: ',', escape, maxRecordChars: 10_000 };
    let compared = 0;
    let errors = 0;
    for (let i = 0; i < 1_500; i++) {
      const text = randomFile(rand, lineEnd);
      const rd = discoverRecordDelimiter(text, dialect);
      if (rd !== '\n' && rd !== '\r\n') continue; // csv.ts reads those with csv-parse alone
      const expected = viaCsvParse(text, dialect);
      const actual = viaSplitter(text, dialect, rd, () => 1 + Math.floor(rand() * 40));
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        throw new Error(`differs on ${JSON.stringify(text)}:\n csv-parse ${JSON.stringify(expected)}\n splitter  ${JSON.stringify(actual)}`);
      }
      compared++;
      if ('error' in expected) errors++;
    }
    // the comparison is only worth something if most files went through both, some of them bad
    expect(compared).toBeGreaterThan(1_000);
    expect(errors).toBeGreaterThan(10);
  });

  it('keeps a plain line as written unless it holds a backslash or a control character', () => {
    const splitter = new CsvRecordSplitter({ delimiter: ',', escape: '"', maxRecordChars: 1_000 }, '\n');
    const out: RawRow[] = [];
    splitter.push('a,b\nc\\d,e\nf\x01\n"g",h\n', out);
    splitter.end(out);
    expect(out.map((r) => r.line)).toEqual(['a,b', undefined, undefined, undefined]);
    const tsv = new CsvRecordSplitter({ delimiter: '\t', escape: '"', maxRecordChars: 1_000 }, '\n');
    const rows: RawRow[] = [];
    tsv.push('a\tb\n', rows);
    expect(rows.map(plainRow)).toEqual([{ stream: '', rowNo: 1, cells: ['a', 'b'], line: 'a\tb' }]);
  });

  it('splits plain and strictly quoted lines itself and leaves the rest to csv-parse', () => {
    expect(splitStrictLine('a,"b,c","d""e",', ',')).toEqual(['a', 'b,c', 'd"e', '']);
    expect(splitStrictLine('"",x', ',')).toEqual(['', 'x']);
    expect(splitStrictLine('"open,x', ',')).toBeNull();
    expect(splitStrictLine('"a"b,x', ',')).toBeNull();
    expect(splitStrictLine('5" disk,x', ',')).toBeNull();
  });

  it('finds the record delimiter csv-parse would use, past a quoted line break', () => {
    const dialect: CsvDialect = { delimiter: ',', escape: '"', maxRecordChars: 1_000 };
    expect(discoverRecordDelimiter('"a\nb",c\r\nd\r\n', dialect)).toBe('\r\n');
    expect(discoverRecordDelimiter('a,b\nc\n', dialect)).toBe('\n');
    expect(discoverRecordDelimiter('a,b\rc\r', dialect)).toBe('\r');
    expect(discoverRecordDelimiter('"no end', dialect)).toBeUndefined();
  });

  it('fails a quote that never closes once the record outgrows the limit, not at the end of the file', () => {
    const splitter = new CsvRecordSplitter({ delimiter: ',', escape: '"', maxRecordChars: 100 }, '\n');
    const out: RawRow[] = [];
    splitter.push('h\n"open\n', out);
    expect(() => {
      for (let i = 0; i < 50; i++) splitter.push('more text\n', out);
    }).toThrow(expect.objectContaining({ recordIndex: 1, line: 2 }));
    expect(out.map(plainRow)).toEqual([{ stream: '', rowNo: 1, cells: ['h'], line: 'h' }]);
  });

  it('fails a line that never ends as soon as it outgrows the limit, holding its chunks without joining them', () => {
    const splitter = new CsvRecordSplitter({ delimiter: ',', escape: '"', maxRecordChars: 100 }, '\r\n');
    const out: RawRow[] = [];
    splitter.push('h\r\nx', out);
    for (let i = 0; i < 9; i++) splitter.push('0123456789', out);
    expect(() => splitter.push('0123456789', out)).toThrow(CsvRecordTooLong);
    // a line ending across a chunk seam ('\r' | '\n') still ends there
    const seam = new CsvRecordSplitter({ delimiter: ',', escape: '"', maxRecordChars: 100 }, '\r\n');
    const rows: RawRow[] = [];
    for (const piece of ['a,b', 'c\r', '\nd', 'e\r', '\n']) seam.push(piece, rows);
    seam.end(rows);
    expect(rows.map((r) => r.cells)).toEqual([['a', 'bc'], ['de']]);
  });
});

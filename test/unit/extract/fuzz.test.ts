/**
 * Property: whatever bytes a city sends, every extractor ends with rows or an ExtractError, within
 * its time limit — never a hang, never another kind of exception. Inputs are valid fixtures of each
 * format, truncated and mutated by a seeded PRNG (so a failure reproduces from its seed).
 */
import * as iconv from 'iconv-lite';
import * as XLSX from 'xlsx';
import { seededRandom } from '../../../src/demo/prng';
import { openSource } from '../../../src/extract/open-source';
import { ExtractError, type RawRow } from '../../../src/extract/types';
import { fixtureDir } from './fixture-files';
import { rowXml, xlsxBytes } from './zip-bytes';

const dir = fixtureDir();
afterAll(() => dir.remove());

/** Bytes that matter to the parsers: quotes, escapes, separators, multibyte leads. */
const NASTY = [0x27, 0x22, 0x5c, 0x60, 0x28, 0x29, 0x2c, 0x3b, 0x09, 0x0a, 0x0d, 0x00, 0x80, 0x81, 0xa1, 0xff, 0x30, 0x3c, 0x3e, 0x2d, 0x2f, 0x2a, 0x24];

function mutate(input: Buffer, random: () => number): Buffer {
  const bytes = Buffer.from(input);
  const pick = (n: number): number => Math.floor(random() * n);
  const kind = pick(4);
  if (kind === 0) return bytes.subarray(0, pick(bytes.length)); // truncated
  const edits = 1 + pick(8);
  let out = bytes;
  for (let e = 0; e < edits; e++) {
    const at = pick(out.length);
    if (kind === 1) out[at] = NASTY[pick(NASTY.length)]!; // flipped byte
    else if (kind === 2) out = Buffer.concat([out.subarray(0, at), Buffer.from([NASTY[pick(NASTY.length)]!]), out.subarray(at)]); // inserted byte
    else out = Buffer.concat([out.subarray(0, at), out.subarray(pick(out.length), pick(out.length)), out.subarray(at)]); // spliced slice
  }
  return out;
}

function workbook(bookType: XLSX.BookType): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['标题'], ['姓名', '金额'], ['张三', 1.5], [], ['李四', { t: 'n', v: 2, f: 'B3+0.5' }]]), '明细');
  return XLSX.write(wb, { type: 'buffer', bookType, compression: false }) as Buffer;
}

const SEEDS: readonly [string, string, Buffer][] = [
  ['csv', 'f.csv', iconv.encode('姓名,金额\n"张""三",1\n"多\n行",2\n李四,\\"x\n', 'gbk')],
  ['tsv', 'f.tsv', Buffer.from('a\tb\n"x\ty"\t2\n')],
  ['mysqldump', 'f.sql', iconv.encode("/*!40101 SET NAMES gbk */;\nCREATE TABLE `t` (`a` int, `b` text);\nINSERT INTO `t` VALUES (1,'张\\'三'),(2,_binary 'x\\0'),(3,X'41'),(-4.5e1,NULL);\nDELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; END ;;\nDELIMITER ;\n", 'gbk')],
  ['pgdump', 'f.sql', Buffer.from("-- PostgreSQL database dump\nCREATE FUNCTION f() AS $$ select ';' $$;\nCOPY public.t (a, b) FROM stdin;\n1\t\\N\n2\tx\\ty\\101\n\\.\nINSERT INTO public.t VALUES (3, E'a\\'b'), (4, 'c''d');\n")],
  // UTF-8 inputs whose rows take the fast paths (plain CSV lines, plain tuples, plain COPY lines)
  ['csv', 'plain.csv', Buffer.from('序号,姓名,金额\n1,张三,1.5\n2,"李四",2\n3,王五,"3,000"\n')],
  ['mysqldump', 'plain.sql', Buffer.from("CREATE TABLE `t` (`a` int, `b` text, `c` decimal);\nINSERT INTO `t` VALUES (1,'张三',1.50),(2,'李四',NULL),(3,'',-7);\n")],
  ['pgdump', 'plain-pg.sql', Buffer.from("SET client_encoding = 'UTF8';\nCOPY public.t (a, b, c) FROM stdin;\n1\t张三\t1.50\n2\t李四\t\\N\n3\t\t-7\n\\.\n")],
  ['xlsx', 'f.xlsx', workbook('xlsx')],
  ['xls', 'f.xls', workbook('biff8')],
];

const RUNS_PER_FORMAT = 60;

/** Row numbers a hostile sheet may carry: near 2^32, past Excel's limit, at it, out of order. */
const ROW_NUMBERS = [4294967295, 4294967296, 4294967294, 2147483648, 1048577, 1048576, 65537, 3, -1, 1.5, 'x', '1e9'];

/**
 * A hand-made .xlsx (zip-bytes.ts) with a random row number from ROW_NUMBERS and, on most runs,
 * sizes or CRC in the sheet's zip headers that lie: the zip fuzzing that byte mutation rarely
 * reaches (a flipped byte mostly breaks inflation instead).
 */
function hostileWorkbook(random: () => number): { bytes: Buffer; lies: boolean } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const third = pick(ROW_NUMBERS);
  const fourth = random() < 0.5 && typeof third === 'number' ? third + 1 : pick(ROW_NUMBERS);
  const rows = rowXml(1, ['姓名', '金额']) + rowXml(2, ['张三', '1']) + rowXml(third, ['李四', '2']) + rowXml(fourth, ['王五']);
  const size = Math.floor(random() * 2000);
  const lies = [{}, {}, { uncompressedSize: size }, { compressedSize: size }, { crc: Math.floor(random() * 2 ** 32) }, { uncompressedSize: 0 }];
  const local = pick(lies);
  const central = random() < 0.5 ? local : pick(lies);
  return { bytes: xlsxBytes([{ name: '参保人员', rows, local, central }]), lies: Object.keys(local).length + Object.keys(central).length > 0 };
}

/** Runs one extraction; resolves to what happened, or rejects the test on a foreign exception. */
/** A read under the extractor's 2 s limit ends within this: the limit, and room for a loaded CI
 * machine (a shared 2-core VM took 5.3 s once). What it catches is a read that ignores its limit. */
const ENDS_WITHIN_MS = 10_000;

async function extract(file: string, format: string, read: RawRow[] = [], maxSeconds = 2): Promise<'rows' | 'error'> {
  try {
    const source = await openSource({ file, format, limits: { maxSeconds } });
    await source.streams();
    for await (const row of source.rows()) read.push({ stream: row.stream, rowNo: row.rowNo, cells: row.cells });
    return 'rows';
  } catch (err) {
    if (err instanceof ExtractError) return 'error';
    throw new Error(`${format} ${file}: not an ExtractError: ${(err as Error)?.stack ?? String(err)}`);
  }
}

describe('every extractor on truncated and mutated input', () => {
  // SheetJS reports unknown BIFF records on the console; the outcome is what is checked here
  beforeAll(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it.each(SEEDS)('%s (%s) ends with rows or an ExtractError, within the time limit', async (format, name, seed) => {
    const outcomes = { rows: 0, error: 0 };
    // the unmutated seed must read cleanly, or the property says nothing
    // (with time to spare: on a loaded machine the first .xls read also starts SheetJS's thread)
    expect(await extract(dir.write(`clean-${name}`, seed), format, [], 60)).toBe('rows');
    for (let run = 0; run < RUNS_PER_FORMAT; run++) {
      const random = seededRandom(run * 7919 + format.length);
      const file = dir.write(`${format}-${run}-${name}`, mutate(seed, random));
      const started = Date.now();
      const outcome = await extract(file, format);
      expect(Date.now() - started).toBeLessThan(ENDS_WITHIN_MS);
      outcomes[outcome] += 1;
    }
    expect(outcomes.rows + outcomes.error).toBe(RUNS_PER_FORMAT);
  }, 60_000);

  it('.xlsx with row numbers near 2^32 and zip headers that lie: an ExtractError whenever a header lied, else every row', async () => {
    const outcomes = { rows: 0, error: 0 };
    for (let run = 0; run < RUNS_PER_FORMAT * 2; run++) {
      const random = seededRandom(run * 104729 + 1);
      const { bytes, lies } = hostileWorkbook(random);
      const file = dir.write(`hostile-${run}.xlsx`, bytes);
      const started = Date.now();
      const read: RawRow[] = [];
      const outcome = await extract(file, 'xlsx', read);
      expect(Date.now() - started).toBeLessThan(ENDS_WITHIN_MS);
      outcomes[outcome] += 1;
      // no silent loss: a lying header never reads as rows; a clean read has all four data rows
      if (lies) expect(outcome).toBe('error');
      if (outcome === 'rows') expect(read.filter((r) => r.cells.length > 0)).toHaveLength(4);
    }
    expect(outcomes.error).toBeGreaterThan(0);
    expect(outcomes.rows).toBeGreaterThan(0);
    expect(outcomes.rows + outcomes.error).toBe(RUNS_PER_FORMAT * 2);
  }, 60_000);
});

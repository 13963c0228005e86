/**
 * Parser-only throughput and peak memory (no database): each extractor on 1,000,000 generated
 * insured-person rows (CSV UTF-8, CSV GB18030, mysqldump, pg_dump) and the .xlsx readers on
 * 200,000 rows. Every case runs in its own child process so its peak RSS is its own.
 *
 *   npx tsx bench/extract-parsers.ts [--rows 1000000] [--xlsx-rows 200000]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as iconv from 'iconv-lite';
import * as XLSX from 'xlsx';
import { openSource } from '../src/extract/open-source';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英';

/** One insured person, about 100 bytes as CSV. */
function person(i: number): (string | number)[] {
  const name = SURNAMES[i % SURNAMES.length]! + GIVEN[(i * 7) % GIVEN.length]! + (i % 3 === 0 ? GIVEN[(i * 13) % GIVEN.length]! : '');
  const id = `4301021980${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 10000).padStart(4, '0')}`;
  return [i + 1, id, i % 17 === 0 ? `买买提·艾力${i % 10}` : name, `91430100MA4L${String(i % 1_000_000).padStart(6, '0')}`, ((i * 37) % 1_000_000) / 100, '2017-06-22', '430102'];
}

async function writeLines(file: string, encoding: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  let batch: string[] = [];
  const flush = async (): Promise<void> => {
    const text = batch.join('');
    batch = [];
    const buf = encoding === 'utf-8' ? Buffer.from(text) : iconv.encode(text, encoding);
    if (!out.write(buf)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  for (const line of lines) {
    batch.push(line);
    if (batch.length >= 10_000) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

const sqlValue = (v: string | number): string => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "\\'")}'`);

function* csvLines(rows: number): Generator<string> {
  yield 'id,sfzh,xm,dwbm,je,rq,qh\n';
  for (let i = 0; i < rows; i++) yield `${person(i).join(',')}\n`;
}

function* mysqlLines(rows: number): Generator<string> {
  yield '/*!40101 SET NAMES utf8mb4 */;\nCREATE TABLE `gs_person` (`id` int, `sfzh` varchar(18), `xm` varchar(50), `dwbm` varchar(18), `je` decimal(12,2), `rq` date, `qh` char(6));\n';
  for (let i = 0; i < rows; i += 1000) {
    const tuples: string[] = [];
    for (let j = i; j < Math.min(rows, i + 1000); j++) tuples.push(`(${person(j).map(sqlValue).join(',')})`);
    yield `INSERT INTO \`gs_person\` VALUES ${tuples.join(',')};\n`;
  }
}

function* pgLines(rows: number): Generator<string> {
  yield "SET client_encoding = 'UTF8';\nCOPY public.gs_person (id, sfzh, xm, dwbm, je, rq, qh) FROM stdin;\n";
  for (let i = 0; i < rows; i++) yield `${person(i).join('\t')}\n`;
  yield '\\.\n';
}

/** sharedStrings: every text cell goes through the shared-string table, as Excel writes it. */
function writeXlsx(file: string, rows: number, sharedStrings = false): void {
  const data: unknown[][] = [['全省工伤保险参保人员'], ['单位：元'], ['id', 'sfzh', 'xm', 'dwbm', 'je', 'rq', 'qh']];
  for (let i = 0; i < rows; i++) data.push(person(i));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(data, { dense: true }), '参保人员');
  XLSX.writeFile(wb, file, { bookType: 'xlsx', compression: true, bookSST: sharedStrings });
}

interface CaseResult {
  name: string;
  rows: number;
  seconds: number;
  peakRssMb: number;
  bytes: number;
}

/** Child process: read every row of one file and report. */
async function runCase(name: string, file: string): Promise<void> {
  const started = process.hrtime.bigint();
  const source = await openSource({ file });
  let rows = 0;
  for await (const _row of source.rows()) rows += 1;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const result: CaseResult = { name, rows, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, bytes: statSync(file).size };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--case') {
    await runCase(process.argv[3]!, process.argv[4]!);
    return;
  }
  const rows = arg('--rows', 1_000_000);
  const xlsxRows = arg('--xlsx-rows', 200_000);
  const dir = mkdtempSync(join(tmpdir(), 'tongchou-bench-extract-'));
  try {
    process.stderr.write(`generating fixtures in ${dir} …\n`);
    const files = {
      csvUtf8: join(dir, 'persons-utf8.csv'),
      csvGb: join(dir, 'persons-gb18030.csv'),
      mysql: join(dir, 'persons-mysqldump.sql'),
      pg: join(dir, 'persons-pgdump.sql'),
      xlsx: join(dir, 'persons.xlsx'),
      xlsxSst: join(dir, 'persons-sst.xlsx'),
    };
    await writeLines(files.csvUtf8, 'utf-8', csvLines(rows));
    await writeLines(files.csvGb, 'gb18030', csvLines(rows));
    await writeLines(files.mysql, 'utf-8', mysqlLines(rows));
    await writeLines(files.pg, 'utf-8', pgLines(rows));
    writeXlsx(files.xlsx, xlsxRows);
    writeXlsx(files.xlsxSst, xlsxRows, true);
    const cases: [string, string][] = [
      [`csv utf-8, ${rows} rows`, files.csvUtf8],
      [`csv gb18030, ${rows} rows`, files.csvGb],
      [`mysqldump, ${rows} rows`, files.mysql],
      [`pg_dump COPY, ${rows} rows`, files.pg],
      [`xlsx streaming, ${xlsxRows} rows`, files.xlsx],
      [`xlsx streaming, shared strings, ${xlsxRows} rows`, files.xlsxSst],
    ];
    const results: CaseResult[] = [];
    for (const [name, file] of cases) {
      const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--case', name, file], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (child.status !== 0) throw new Error(`${name} failed: ${child.stderr}`);
      results.push(JSON.parse(child.stdout.trim().split('\n').pop()!) as CaseResult);
    }
    const lines = results.map(
      (r) =>
        `${r.name.padEnd(44)} ${String(Math.round(r.rows / r.seconds)).padStart(9)} rows/s  ${r.peakRssMb.toFixed(0).padStart(5)} MB peak RSS  ${(r.bytes / 1e6).toFixed(1).padStart(6)} MB file  ${r.seconds.toFixed(1)} s`,
    );
    // other work on the machine skews rows/s (not memory): say how busy it was
    const load = loadavg().map((l) => l.toFixed(1)).join(' ');
    const header = 'extractor (parse only, no database)            rows/s         peak memory';
    process.stdout.write(`${[header, ...lines, `load average at the end: ${load} (${cpus().length} cores)`].join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

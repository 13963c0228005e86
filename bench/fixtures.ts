/** Benchmark inputs: the same synthetic persons as a UTF-8 CSV, a GB18030 CSV, a mysqldump, a
 * pg_dump (COPY block) and an .xlsx workbook; employers and their monthly contributions as CSV. */
import fs from 'node:fs';
import { once } from 'node:events';
import iconv from 'iconv-lite';
import * as XLSX from 'xlsx';
import { seededRandom } from '../src/demo/prng';
import { syntheticPerson } from '../src/demo/synthetic-people';
import { orgCheckChar } from '../src/domain/rules/org-code';
import { uscCheckChar } from '../src/domain/rules/usc-code';

const REGIONS = ['430102', '430103', '430104', '430105', '430111'];

function* people(rows: number): Generator<[number, string, string, string, string]> {
  const rand = seededRandom(42);
  for (let i = 1; i <= rows; i++) {
    const p = syntheticPerson(rand, REGIONS);
    yield [i, p.name, p.idNumber, p.gender === 'M' ? '男' : '女', p.birthDate];
  }
}

async function writeLines(file: string, lines: Iterable<string>, encode?: (s: string) => Buffer): Promise<void> {
  const out = fs.createWriteStream(file);
  let buf: string[] = [];
  const flush = async () => {
    const text = buf.join('');
    buf = [];
    if (!out.write(encode ? encode(text) : text)) await once(out, 'drain');
  };
  for (const line of lines) {
    buf.push(line);
    if (buf.length >= 5_000) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
}

export const CSV_HEADER = '序号,姓名,身份证号,性别,出生日期\n';

export async function writeCsv(file: string, rows: number, encoding: 'utf-8' | 'gb18030' = 'utf-8'): Promise<void> {
  function* lines() {
    yield CSV_HEADER;
    for (const r of people(rows)) yield r.join(',') + '\n';
  }
  await writeLines(file, lines(), encoding === 'utf-8' ? undefined : (s) => iconv.encode(s, 'gb18030'));
}

export async function writeMysqlDump(file: string, rows: number): Promise<void> {
  function* lines() {
    yield '-- MySQL dump 10.13\n/*!40101 SET NAMES utf8mb4 */;\nDROP TABLE IF EXISTS `persons`;\n';
    yield 'CREATE TABLE `persons` (\n  `id` int NOT NULL,\n  `name` varchar(50),\n  `id_number` varchar(18),\n  `gender` varchar(2),\n  `birth_date` date\n);\n';
    let group: string[] = [];
    for (const r of people(rows)) {
      group.push(`(${r[0]},'${r[1]}','${r[2]}','${r[3]}','${r[4]}')`);
      if (group.length === 1_000) {
        yield `INSERT INTO \`persons\` VALUES ${group.join(',')};\n`;
        group = [];
      }
    }
    if (group.length) yield `INSERT INTO \`persons\` VALUES ${group.join(',')};\n`;
  }
  await writeLines(file, lines());
}

export async function writePgDump(file: string, rows: number): Promise<void> {
  function* lines() {
    yield "-- PostgreSQL database dump\nSET client_encoding = 'UTF8';\n";
    yield 'CREATE TABLE public.persons (id integer, name text, id_number text, gender text, birth_date date);\n';
    yield 'COPY public.persons (id, name, id_number, gender, birth_date) FROM stdin;\n';
    for (const r of people(rows)) yield r.join('\t') + '\n';
    yield '\\.\n';
  }
  await writeLines(file, lines());
}

/** One sheet with a title line above the header, as city exports have; written by SheetJS. */
export function writeXlsx(file: string, rows: number): void {
  const data: unknown[][] = [['参保人员名册'], CSV_HEADER.trim().split(',')];
  for (const r of people(rows)) data.push(r);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(data, { dense: true }), '参保人员');
  XLSX.writeFile(wb, file, { bookType: 'xlsx', compression: true });
}

/** Contributions per employer: the last twelve months, as city registers hold them. */
const MONTHS = 12;
/** One contribution in this many names an employer no register holds: its reference must not resolve. */
export const UNKNOWN_EMPLOYER_EVERY = 1_000;

export const employersFor = (contributions: number): number => Math.ceil(contributions / MONTHS);

/** A valid USC code for employer `i`: its organization-code part is the number itself, so unique. */
function uscOf(i: number): string {
  const org = String(10_000_000 + i).slice(-8);
  const first17 = `91430100${org}${orgCheckChar(org)}`;
  return first17 + uscCheckChar(first17);
}

export const EMPLOYERS_HEADER = '单位编号,统一社会信用代码,单位名称,行业风险类别\n';

export async function writeEmployersCsv(file: string, employers: number): Promise<void> {
  function* lines() {
    yield EMPLOYERS_HEADER;
    for (let i = 0; i < employers; i++) yield `${100_001 + i},${uscOf(i)},湘江第${i + 1}机械有限公司,${(i % 8) + 1}\n`;
  }
  await writeLines(file, lines());
}

export const CONTRIBUTIONS_HEADER = '序号,单位编号,所属期,缴费工资总额,费率,应缴额,实缴额\n';
const RATES_PER_MILLE = [2, 4, 7, 9, 11, 13, 16, 19];

/** `rows` contributions of the employers writeEmployersCsv writes (12 months each), by the
 * employer's legacy number (单位编号) as the cities' registers name them. */
export async function writeContributionsCsv(file: string, rows: number): Promise<void> {
  function* lines() {
    yield CONTRIBUTIONS_HEADER;
    for (let k = 0; k < rows; k++) {
      const employer = Math.floor(k / MONTHS);
      const no = (k + 1) % UNKNOWN_EMPLOYER_EVERY === 0 ? 900_001 + employer : 100_001 + employer;
      const base = 1_000 * (20 + ((k * 37) % 380)); // 20 000–400 000 元, whole thousands
      const perMille = RATES_PER_MILLE[k % RATES_PER_MILLE.length]!;
      const due = (base * perMille) / 1_000; // whole yuan: base is whole thousands
      const paid = k % 7 === 3 ? `${due - 10}.00` : `${due}.00`;
      yield `${k + 1},${no},2023-${String((k % MONTHS) + 1).padStart(2, '0')},${base}.00,${perMille / 1_000},${due}.00,${paid}\n`;
    }
  }
  await writeLines(file, lines());
}

/** Benchmark inputs: the same synthetic persons as a UTF-8 CSV, a GB18030 CSV, a mysqldump, a
 * pg_dump (COPY block) and an .xlsx workbook. */
import fs from 'node:fs';
import { once } from 'node:events';
import iconv from 'iconv-lite';
import * as XLSX from 'xlsx';
import { seededRandom } from '../src/demo/prng';
import { syntheticPerson } from '../src/demo/synthetic-people';

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

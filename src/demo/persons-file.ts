/**
 * A city's legacy roster of insured persons (参保人员名册) as a CSV export, with the defects real
 * exports have: title lines, a repeated header, blank and subtotal rows, 15-digit IDs, full-width
 * digits, lower-case x, bad check digits, impossible birth dates, wrong lengths, missing names,
 * gender that contradicts the ID, exact and conflicting duplicates. Deterministic for a seed.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { idCheckChar } from '../domain/rules/resident-id';
import { seededRandom } from './prng';
import { syntheticIdNumber, syntheticName } from './synthetic-people';

export const PERSONS_HEADER = ['序号', '姓名', '身份证号', '性别', '备注'];

export type PersonDefect =
  | 'id15' | 'fullwidth' | 'lowercase_x' | 'checksum' | 'birth_date' | 'length' | 'name_missing'
  | 'gender_conflict' | 'blank' | 'subtotal' | 'repeated_header' | 'exact_duplicate' | 'conflicting_duplicate';

/** Every `DEFECT_EVERY`-th data row carries the next defect in turn. */
const DEFECT_CYCLE: PersonDefect[] = [
  'id15', 'checksum', 'fullwidth', 'birth_date', 'lowercase_x', 'length', 'name_missing', 'gender_conflict',
  'blank', 'exact_duplicate', 'subtotal', 'conflicting_duplicate', 'repeated_header',
];

const toFullWidth = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const genderText = (g: 'M' | 'F') => (g === 'M' ? '男' : '女');

export interface PersonsFileOptions {
  rows: number;
  seed: number;
  regionCodes: readonly string[];
  cityName: string;
  /** one data row in this many carries a defect; 0 for none */
  defectEvery?: number;
}

/** Yields the file's lines (without line ends). */
export function* personsCsvLines(opts: PersonsFileOptions): Generator<string> {
  const rand = seededRandom(opts.seed);
  const every = opts.defectEvery ?? 7;
  let defectNo = 0;
  let previous: string[] | undefined;
  yield `${opts.cityName}工伤保险参保人员名册`;
  yield '单位：人';
  yield PERSONS_HEADER.join(',');
  for (let i = 1; i <= opts.rows; i++) {
    let { id, gender } = syntheticIdNumber(rand, opts.regionCodes[i % opts.regionCodes.length]!);
    let name = syntheticName(rand);
    let genderCell = genderText(gender);
    let line: string[] | undefined;
    const defect = every > 0 && i % every === 0 ? DEFECT_CYCLE[defectNo++ % DEFECT_CYCLE.length] : undefined;
    switch (defect) {
      case 'id15': {
        // a pre-1999 15-digit ID: region + YYMMDD + sequence, upgraded on load
        const born = syntheticIdNumber(rand, opts.regionCodes[0]!, gender);
        id = born.id.slice(0, 6) + born.id.slice(8, 17);
        if (id.slice(6, 8) < '60') id = id.slice(0, 6) + '7' + id.slice(7);
        break;
      }
      case 'checksum':
        id = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
        break;
      case 'fullwidth':
        id = toFullWidth(id);
        break;
      case 'birth_date': {
        const first17 = id.slice(0, 10) + '0230' + id.slice(14, 17);
        id = first17 + idCheckChar(first17);
        break;
      }
      case 'lowercase_x': {
        // search sequences until the check character is X, then write it in lower case
        for (let seq = 0; seq < 1000; seq++) {
          const first17 = id.slice(0, 14) + String(seq).padStart(3, '0');
          if (idCheckChar(first17) === 'X') {
            id = (first17 + 'x');
            gender = seq % 2 === 1 ? 'M' : 'F';
            genderCell = genderText(gender);
            break;
          }
        }
        break;
      }
      case 'length':
        id = id.slice(0, 16);
        break;
      case 'name_missing':
        name = '　';
        break;
      case 'gender_conflict':
        genderCell = genderText(gender === 'M' ? 'F' : 'M');
        break;
      case 'blank':
        line = ['', '', '', '', ''];
        break;
      case 'subtotal':
        line = ['', '本页合计', '', '', `${i}人`];
        break;
      case 'repeated_header':
        line = PERSONS_HEADER;
        break;
      case 'exact_duplicate':
        if (previous) line = [String(i), ...previous.slice(1, 4), '重复录入'];
        break;
      case 'conflicting_duplicate':
        if (previous) line = [String(i), previous[1] + '某', ...previous.slice(2, 4), ''];
        break;
    }
    line ??= [String(i), name, id, genderCell, ''];
    if (!defect) previous = line;
    yield line.map(csvField).join(',');
  }
}

export async function writePersonsCsv(file: string, opts: PersonsFileOptions): Promise<void> {
  const out = fs.createWriteStream(file);
  for (const line of personsCsvLines(opts)) {
    if (!out.write(line + '\r\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

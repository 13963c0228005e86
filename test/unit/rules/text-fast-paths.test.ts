/**
 * The text helpers skip work for text that needs none (most cells); on every text they must give
 * what their plain regular-expression definitions give.
 */
import type { RawCell } from '../../../src/extract/types';
import { classifyNonRecord } from '../../../src/domain/rules/rows';
import { collapseSpaces, compactText, isBlankCell, numberText, toHalfWidth, trimText, unifyMiddleDots } from '../../../src/domain/rules/text';
import { spreadsheetNumber } from '../../../src/domain/normalize/field-reader';
import { idCheckChar } from '../../../src/domain/rules/resident-id';

const definitions = {
  trimText: (s: string) => s.replace(/^\s+|\s+$/gu, ''),
  toHalfWidth: (s: string) => s.replace(/[\uFF01-\uFF5E\u3000]/gu, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0))),
  collapseSpaces: (s: string) => s.replace(/\s+/gu, ' '),
  unifyMiddleDots: (s: string) => s.replace(/(?<=\p{Script=Han})[\u2022\u30FB\uFF65\uFF0E.\u2027\u2219](?=\p{Script=Han})/gu, '\u00B7'),
  compactText: (s: string) => definitions.trimText(definitions.toHalfWidth(s)).replace(/\s+/gu, ''),
  isBlankCell: (s: string) => definitions.trimText(s) === '',
};
const implementations = { trimText, toHalfWidth, collapseSpaces, unifyMiddleDots, compactText, isBlankCell };

// white space of every kind \s knows (and some it does not), full-width forms at and past the range's ends, dots
const ALPHABET = [' ', '  ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u200b', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '\u180e',
  '\uff00', '\uff01', '\uff10', '\uff21', '\uff0e', '\uff5e', '\uff5f', '\uff65', '·', '.', '•', '・', '\u2027', '\u2219', 'a', 'Z', '1', '买', '提', '中', '合计', '𠀀', '\ud800', 'é'];

describe('text helpers against their definitions', () => {
  it('agree on generated text', () => {
    let s = 7;
    const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const differing: unknown[] = [];
    for (let i = 0; i < 50_000; i++) {
      let text = '';
      for (let n = Math.floor(rand() * 7); n > 0; n--) text += ALPHABET[Math.floor(rand() * ALPHABET.length)];
      for (const [name, define] of Object.entries(definitions)) {
        const got = implementations[name as keyof typeof implementations](text);
        if (got !== define(text)) differing.push({ name, text, got, want: define(text) });
      }
    }
    expect(differing.slice(0, 5)).toEqual([]);
  });
});

describe('classifyNonRecord with a header list it has seen', () => {
  it('sees a change made to the same list between calls', () => {
    const headerTexts: (string | RegExp)[] = ['姓名', '身份证号'];
    const options = { headerTexts, keyColumnIndexes: [1] };
    expect(classifyNonRecord(['姓名', '身份证号'], options)).toBe('skip.header');
    expect(classifyNonRecord(['人员名册'], options)).toBeNull();
    headerTexts.push(/名册$/u);
    expect(classifyNonRecord(['人员名册'], options)).toBe('skip.header');
    headerTexts.splice(0, 3, '单位名称');
    expect(classifyNonRecord(['姓名', '身份证号'], options)).toBeNull();
  });

  it('skips the holes of a sparse row as filter() did', () => {
    const cells: RawCell[] = [];
    cells[3] = '合计';
    expect(classifyNonRecord(cells, { headerTexts: [], keyColumnIndexes: [1] })).toBe('skip.subtotal');
    expect(classifyNonRecord(new Array<RawCell>(4), { headerTexts: [], keyColumnIndexes: [1] })).toBe('skip.blank');
  });
});

describe('number fast paths against their definitions', () => {
  const numberTextDefinition = (n: number): string => {
    const s = String(n);
    const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
    if (!m) return s;
    const [, sign = '', int = '', frac = '', exp = '0'] = m;
    const digits = int + frac;
    const point = int.length + Number(exp);
    if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
    if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  };
  const spreadsheetDefinition = (raw: number): number => (Number.isFinite(raw) && raw !== 0 ? Number(raw.toPrecision(15)) : raw);

  it('agree on generated numbers: cents, formula artifacts, huge, tiny, negative', () => {
    let s = 11;
    const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const special = [0, -0, NaN, Infinity, -Infinity, 0.1 + 0.2, 1e21, 1e-7, -1e-7, 2 ** 53, 2 ** 53 + 2, 9_999_999_999_999.99, 99_999_999_999_999.9, 1e15, 1e15 - 1, -0.005, 0.005, Number.MAX_VALUE, Number.MIN_VALUE];
    const numbers: number[] = [...special];
    for (let i = 0; i < 200_000; i++) {
      const scale = 10 ** Math.floor(rand() * 40 - 20);
      const r = rand();
      const n = r < 0.3 ? Math.round(rand() * 1e9) / 100 : r < 0.5 ? Math.round(rand() * 1e17) / 100 : r < 0.6 ? Math.round(rand() * 1e6) / 1000 + Math.round(rand() * 1e6) / 1e4 : rand() * scale;
      numbers.push(rand() < 0.2 ? -n : n);
    }
    const differing: unknown[] = [];
    for (const n of numbers) {
      if (numberText(n) !== numberTextDefinition(n)) differing.push({ numberText: n });
      if (!Object.is(spreadsheetNumber(n), spreadsheetDefinition(n))) differing.push({ spreadsheetNumber: n });
    }
    expect(differing.slice(0, 5)).toEqual([]);
  });
});

describe('idCheckChar against its definition', () => {
  const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const definition = (first17: string): string => {
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
    return '10X98765432'[sum % 11] ?? '';
  };

  it('agrees on digits, and on what is not digits (spaces, letters, full-width, short text)', () => {
    let s = 5;
    const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const chars = ['0', '1', '5', '9', '9', '7', '3', ' ', 'X', '１', '/', ':', '\u3000'];
    const differing: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      let text = '';
      for (let n = rand() < 0.1 ? Math.floor(rand() * 17) : 17; n > 0; n--) text += rand() < 0.9 ? String(Math.floor(rand() * 10)) : chars[Math.floor(rand() * chars.length)];
      if (idCheckChar(text) !== definition(text)) differing.push(text);
    }
    expect(differing.slice(0, 5)).toEqual([]);
  });
});

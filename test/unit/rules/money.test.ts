import { toFen } from '../../../src/domain/rules/money';
import { codesOf, valueOf } from './helpers';

describe('toFen', () => {
  describe('yuan (元)', () => {
    it.each([
      ['an integer', '1234', 123400n],
      ['two decimals', '1234.56', 123456n],
      ['one decimal', '1234.5', 123450n],
      ['thousands groups', '1,234.56', 123456n],
      ['several groups', '12,345,678.90', 1234567890n],
      ['a full-width yen sign ￥', '￥1234.5', 123450n],
      ['a yen sign ¥', '¥1234.5', 123450n],
      ['a 元 suffix', '1234.50元', 123450n],
      ['sign, symbol, grouping and suffix', '¥ 1,234.50 元', 123450n],
      ['full-width digits and punctuation', '１，２３４．５６', 123456n],
      ['U+3000 around it', '\u30001234.56\u3000', 123456n],
      ['trailing zeros past the fen', '12.3400000', 1234n],
      ['a leading point', '.5', 50n],
      ['a trailing point', '12.', 1200n],
      ['zero', '0', 0n],
      ['a plus sign', '+5', 500n],
      ['leading zeros', '007.10', 710n],
    ])('accepts %s: %s', (_label, raw, fen) => {
      expect(toFen(raw, 'yuan')).toEqual({ ok: true, value: fen, warnings: [] });
    });

    it.each([
      [1234.56, 123456n],
      [0.1, 10n],
      [0.07, 7n], // 0.07 * 100 in floats is 7.000000000000001
      [1.15, 115n], // 1.15 * 100 in floats is 114.99999999999999
      [19.99, 1999n],
      [1e21, 100000000000000000000000n],
      [0, 0n],
    ])('converts the number %p exactly via its shortest decimal text', (n, fen) => {
      expect(valueOf(toFen(n, 'yuan'))).toBe(fen);
    });

    it('refuses a float artefact that is not a whole fen', () => {
      expect(codesOf(toFen(0.1 + 0.2, 'yuan'))).toEqual(['amount.precision']);
    });

    it.each([
      ['three decimals', '1.234'],
      ['a tenth of a fen', '0.001'],
      ['a tiny number', 1e-7],
    ])('refuses %s with amount.precision', (_label, raw) => {
      expect(codesOf(toFen(raw, 'yuan'))).toEqual(['amount.precision']);
    });

    it.each([
      ['a badly grouped number', '1,23.4'],
      ['a group of four', '1,2345'],
      ['a first group of four', '1234,567'],
      ['a leading comma', ',123'],
      ['doubled commas', '1,,234'],
      ['a grouped number starting with 0', '0,123'],
      ['a comma in the fraction', '1.234,5'],
      ['two points', '1.2.3'],
      ['a point alone', '.'],
      ['a sign alone', '-'],
      ['two signs', '-¥-5'],
      ['words', '一千元'],
      ['an exponent in text', '1.2E+5'],
      ['a space inside the digits', '1 234'],
      ['a 万元 suffix in a yuan column', '12万元'],
      ['accounting parentheses', '(12.00)'],
      ['empty text', ''],
      ['white space', ' \u3000'],
      ['null', null],
      ['a boolean', true],
      ['NaN', NaN],
      ['Infinity', Infinity],
    ])('refuses %s with amount.format', (_label, raw) => {
      expect(codesOf(toFen(raw, 'yuan'))).toEqual(['amount.format']);
    });
  });

  describe('万元 (wan_yuan)', () => {
    it.each([
      ['an integer', '12', 12000000n],
      ['the fen digit exactly', '0.000001', 1n],
      ['trailing zeros past the fen', '0.1234560', 123456n],
      ['a 万元 suffix', '1.5万元', 1500000n],
      ['a number', 3.25, 3250000n],
    ])('accepts %s', (_label, raw, fen) => {
      expect(valueOf(toFen(raw, 'wan_yuan'))).toBe(fen);
    });
    it('refuses a value finer than the fen', () => {
      expect(codesOf(toFen('0.1234567', 'wan_yuan'))).toEqual(['amount.precision']);
    });
    it('refuses a 元 suffix: it contradicts the declared unit', () => {
      expect(codesOf(toFen('12元', 'wan_yuan'))).toEqual(['amount.format']);
    });
  });

  describe('fen (分)', () => {
    it('accepts whole fen, with or without 分', () => {
      expect(valueOf(toFen(12345, 'fen'))).toBe(12345n);
      expect(valueOf(toFen('12345分', 'fen'))).toBe(12345n);
      expect(valueOf(toFen('1.00', 'fen'))).toBe(1n);
    });
    it('refuses a fraction of a fen', () => {
      expect(codesOf(toFen('1.5', 'fen'))).toEqual(['amount.precision']);
    });
  });

  describe('negative amounts', () => {
    it.each([
      ['text', '-12.5'],
      ['a number', -12.5],
      ['a sign before the symbol', '-¥12.5'],
      ['a sign after the symbol', '¥-12.5'],
      ['a full-width minus', '－12.5'],
      ['a minus sign U+2212', '\u221212.5'],
    ])('refuses %s with amount.negative by default', (_label, raw) => {
      expect(codesOf(toFen(raw, 'yuan'))).toEqual(['amount.negative']);
    });

    it('accepts them where the column allows negatives', () => {
      expect(valueOf(toFen('-1,234.56', 'yuan', { allowNegative: true }))).toBe(-123456n);
      expect(valueOf(toFen('¥-12.5', 'yuan', { allowNegative: true }))).toBe(-1250n);
    });

    it('treats minus zero as zero, not as a negative', () => {
      expect(valueOf(toFen('-0.00', 'yuan'))).toBe(0n);
      expect(valueOf(toFen(-0, 'yuan'))).toBe(0n);
    });

    it('reports precision and sign together', () => {
      expect(codesOf(toFen('-0.001', 'yuan'))).toEqual(['amount.precision', 'amount.negative']);
    });
  });

  it('keeps the raw value in the reason detail', () => {
    const r = toFen('1,23.4', 'yuan');
    expect(r.ok ? undefined : r.reasons[0]?.detail).toBe('1,23.4');
  });
});

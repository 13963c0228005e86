/**
 * Text helpers shared by every rule, so trimming, width folding and the minority-name middle dot
 * are decided in one place.
 */
import type { RawCell } from '../../extract/types';

/**
 * Trims white space at both ends, U+3000 (ideographic space, 全角空格) and U+00A0 included.
 * `String.prototype.trim` strips exactly what `\s` matches (WhiteSpace and LineTerminator), and
 * unlike a regex replace it allocates nothing for text that is already trimmed — most cells.
 */
export function trimText(s: string): string {
  return s.trim();
}

const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/gu;

/** Full-width ASCII (U+FF01–U+FF5E) to half-width, and U+3000 to an ASCII space (全角转半角). */
export function toHalfWidth(s: string): string {
  // most cells hold none: a scan of the code units is much cheaper than a replace that finds nothing
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x3000 && (c === 0x3000 || (c >= 0xff01 && c <= 0xff5e))) break;
  }
  if (i === s.length) return s;
  return s.replace(FULL_WIDTH, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

const SPACE_RUNS = /\s+/gu;
/** White space other than a lone ASCII space: what collapseSpaces and compactText would change. */
const NOT_LONE_SPACE = /[^\S ]|\s\s/u;

/** Each run of white space (U+3000 included) becomes one ASCII space. */
export function collapseSpaces(s: string): string {
  return NOT_LONE_SPACE.test(s) ? s.replace(SPACE_RUNS, ' ') : s;
}

/**
 * The dot look-alikes that legacy systems and encodings (GB2312 A1A4 → U+30FB) put in minority
 * names such as 买买提·艾力; between two CJK characters each becomes U+00B7.
 */
const DOT_LOOKALIKES = /(?<=\p{Script=Han})[\u2022\u30FB\uFF65\uFF0E.\u2027\u2219](?=\p{Script=Han})/gu;

const ANY_DOT_LOOKALIKE = /[\u2022\u30FB\uFF65\uFF0E.\u2027\u2219]/u;

export function unifyMiddleDots(s: string): string {
  // the look-behind for a Han character is costly; most names hold no dot at all
  return ANY_DOT_LOOKALIKE.test(s) ? s.replace(DOT_LOOKALIKES, '\u00B7') : s;
}

/**
 * The exact decimal text of a JS number: its shortest round-trip digits (what `String` gives),
 * with any exponent written out (1e21 → '1000000000000000000000', 1e-7 → '0.0000001'), so a
 * spreadsheet number is read as the decimal it displays, never through float arithmetic.
 */
export function numberText(n: number): string {
  const s = String(n);
  // String writes an exponent only past 1e21 or below 1e-6: most numbers have none
  if (!s.includes('e')) return s;
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  const digits = int + frac;
  const point = int.length + Number(exp); // position of the decimal point within `digits`
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The text of a raw cell: null for an empty cell, numbers via numberText, booleans as 'true'/'false'. */
export function cellText(raw: RawCell): string | null {
  if (raw === null) return null;
  if (typeof raw === 'string') return raw;
  return typeof raw === 'number' ? numberText(raw) : String(raw);
}

/** Trimmed, half-width text of a cell, or '' for an empty cell — the usual first step of a rule. */
export function cleanCell(raw: RawCell): string {
  const text = cellText(raw);
  return text === null ? '' : trimText(toHalfWidth(text));
}

/** An empty cell: null, or text that is only white space. */
export function isBlankCell(raw: RawCell): boolean {
  return raw === null || (typeof raw === 'string' && (raw.length === 0 || trimText(raw) === ''));
}

/**
 * The form identifier rules compare (身份证号, 信用代码, 机构代码, 区划代码): trimmed, half-width,
 * upper-case. A numeric cell counts only while it is an exact integer: beyond 2^53 (and past
 * Excel's 15 significant digits) its last digits are already lost, so it reads as '' and fails
 * the identifier's format rule. A boolean is never an identifier.
 */
export function identifierText(raw: RawCell): string {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? String(raw) : '';
  if (typeof raw === 'boolean') return '';
  return cleanCell(raw).toUpperCase();
}

const ANY_SPACE = /\s/u;

/** Text with every white space removed, for matching labels such as `合  计` or `姓 名`. */
export function compactText(raw: RawCell): string {
  const text = cleanCell(raw);
  return ANY_SPACE.test(text) ? text.replace(SPACE_RUNS, '') : text;
}

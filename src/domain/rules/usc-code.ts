/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015 and its 2016 amendment): the
 * employer key. 18 characters: registering authority, organization type, 6-digit division,
 * 9-character organization code, MOD 31 check character.
 */
import type { RawCell } from '../../extract/types';
import { fail, ok, type RuleResult } from './result';
import { identifierText } from './text';

/** The 31 characters of the code, in value order 0–30 (no I, O, Z, S, V). */
export const USC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** Position 1: 1 机构编制, 5 民政, 9 工商, Y 其他 (2015); 2 外交, 3 司法行政, 4 文化, 6 旅游,
 * 7 宗教, 8 工会, A 中央军委改革和编制办公室, N 农业 (amendment 1, 2016). */
const REGISTERING_AUTHORITIES = '123456789ANY';
const FORMAT = new RegExp(`^[${REGISTERING_AUTHORITIES}][${USC_ALPHABET}]{17}$`);

/** The check character of the first 17 characters: 31 − (Σ value × weight mod 31), 31 → 0. */
export function uscCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USC_ALPHABET.indexOf(first17[i] ?? '') * (WEIGHTS[i] ?? 0);
  return USC_ALPHABET[(31 - (sum % 31)) % 31] ?? '';
}

/**
 * `exceptions` is the province's checksum-exception list in normalized form
 * (mappings/province/usc-checksum-exceptions.ts). A listed code is warned about only when its
 * check character is in fact wrong; a listed code that checks out is simply valid.
 */
export function normalizeUscCode(raw: RawCell, exceptions: ReadonlySet<string>): RuleResult<string> {
  const code = identifierText(raw);
  if (!FORMAT.test(code)) return fail({ code: 'usc_code.format', detail: String(raw) });
  const expected = uscCheckChar(code);
  if (code[17] === expected) return ok(code);
  if (exceptions.has(code)) return ok(code, ['usc_code.exception']);
  return fail({ code: 'usc_code.checksum', detail: `${code}: check character should be ${expected}` });
}

/**
 * Resident ID (居民身份证号, GB 11643-1999): the provincial person key.
 * 6-digit address code + YYYYMMDD birth date + 3-digit sequence (odd male, even female) + an
 * ISO 7064 MOD 11-2 check character. 15-digit first-generation IDs are upgraded to 18 first.
 */
import type { RawCell } from '../../extract/types';
import { isRealDate } from './calendar';
import { fail, ok, type Reason, type RuleResult } from './result';
import { identifierText } from './text';

export interface ResidentId {
  id: string;
  /** YYYY-MM-DD, from the ID; a source birth-date column is ignored */
  birthDate: string;
  /** from the 17th digit; a source gender column is only compared (genderWarning) */
  gender: 'M' | 'F';
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const EARLIEST_BIRTH = '1900-01-01';

/** The MOD 11-2 check character of the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    // a digit's value from its code, without a string per digit; anything else as Number reads it
    const digit = first17.charCodeAt(i) - 48;
    sum += (digit >= 0 && digit <= 9 ? digit : Number(first17[i])) * (WEIGHTS[i] ?? 0);
  }
  return CHECK_CHARS[sum % 11] ?? '';
}

/** 15 → 18 digits: `19` after the region code, then the check character. */
export function upgradeId15(id15: string): string {
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + idCheckChar(first17);
}

export function normalizeIdNumber(raw: RawCell, loadDate: string): RuleResult<ResidentId> {
  const text = identifierText(raw);
  if (!/^(\d{15}|\d{17}[\dX])$/.test(text)) {
    return fail({ code: 'id_number.format', detail: String(raw) });
  }
  const id = text.length === 15 ? upgradeId15(text) : text;

  const expected = idCheckChar(id);
  const checksumOk = id[17] === expected;

  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  // the ID's own digits, which formatYmd of their numbers would pad back to
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const birthOk = isRealDate(y, m, d) && birthDate >= EARLIEST_BIRTH && birthDate <= loadDate;
  if (!checksumOk || !birthOk) {
    const reasons: Reason[] = [];
    if (!checksumOk) reasons.push({ code: 'id_number.checksum', detail: `${id}: check character should be ${expected}` });
    if (!birthOk) reasons.push({ code: 'id_number.birth_date', detail: `${id}: birth date ${id.slice(6, 14)}` });
    return fail(...reasons);
  }

  const gender = Number(id[16]) % 2 === 1 ? 'M' : 'F';
  return ok({ id, birthDate, gender });
}

/** A source gender that disagrees with the ID is not stored; the row carries this warning. */
export function genderWarning(sourceGender: 'M' | 'F' | null, derived: 'M' | 'F'): string[] {
  return sourceGender !== null && sourceGender !== derived ? ['gender.conflict'] : [];
}

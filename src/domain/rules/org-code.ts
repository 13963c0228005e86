/**
 * Legacy organization code (组织机构代码, GB 11714-1997): 8 body characters and a MOD 11 check
 * character, often written `XXXXXXXX-C`. Positions 9–17 of a USC code are the same code.
 */
import type { RawCell } from '../../extract/types';
import { fail, ok, type RuleResult } from './result';
import { identifierText } from './text';

const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const FORMAT = /^([0-9A-Z]{8})-?([0-9X])$/;

/** 0–9 are worth 0–9 and A–Z 10–35; check = 11 − (Σ mod 11), 10 → X, 11 → 0. */
export function orgCheckChar(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body8[i] ?? '', 36) * (WEIGHTS[i] ?? 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** Stored as 9 characters without the hyphen. */
export function normalizeOrgCode(raw: RawCell): RuleResult<string> {
  const m = FORMAT.exec(identifierText(raw));
  if (!m) return fail({ code: 'org_code.format', detail: String(raw) });
  const [, body = '', check] = m;
  const expected = orgCheckChar(body);
  if (check !== expected) return fail({ code: 'org_code.checksum', detail: `${body}-${check}: check character should be ${expected}` });
  return ok(body + check);
}

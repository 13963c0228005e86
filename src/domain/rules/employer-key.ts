/** The employer natural key (单位): normalized USC code, else normalized organization code. */
import type { RawCell } from '../../extract/types';
import { normalizeOrgCode } from './org-code';
import { fail, ok, type RuleResult } from './result';
import { isBlankCell } from './text';
import { normalizeUscCode } from './usc-code';

export interface EmployerKey {
  /** the natural key: an 18-character USC code or a 9-character organization code */
  key: string;
  source: 'usc' | 'org';
  /** the 9-character organization code (for a USC code, its positions 9–17), so legacy
   * org-code records can be joined to USC records */
  orgCode: string;
}

/**
 * Where a USC code is present the org-code column is ignored, not validated. Where both are
 * blank the org code is the one missing, so the row is refused `org_code.format`.
 */
export function employerKey(uscRaw: RawCell, orgRaw: RawCell, exceptions: ReadonlySet<string>): RuleResult<EmployerKey> {
  if (!isBlankCell(uscRaw)) {
    const usc = normalizeUscCode(uscRaw, exceptions);
    if (!usc.ok) return usc;
    return ok({ key: usc.value, source: 'usc', orgCode: usc.value.slice(8, 17) }, usc.warnings);
  }
  if (isBlankCell(orgRaw)) return fail({ code: 'org_code.format', detail: 'no USC code and no organization code' });
  const org = normalizeOrgCode(orgRaw);
  if (!org.ok) return org;
  return ok({ key: org.value, source: 'org', orgCode: org.value }, org.warnings);
}

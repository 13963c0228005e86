import type { RuleResult } from '../../../src/domain/rules/result';

/** The value of a successful result; fails the test with the reasons otherwise. */
export function valueOf<T>(r: RuleResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.reasons)}`);
  return r.value;
}

/** The reason codes of a failed result ([] for a success). */
export const codesOf = (r: RuleResult<unknown>): string[] => (r.ok ? [] : r.reasons.map((x) => x.code));

export const warningsOf = (r: RuleResult<unknown>): string[] => (r.ok ? r.warnings : []);

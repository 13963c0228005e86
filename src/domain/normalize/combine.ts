import type { Reason, RuleResult } from '../rules/result';

/**
 * Applies several field rules and gathers every failure: a row is rejected with every reason that
 * applies, not just the first. `collect.value(field, result)` returns the value or undefined.
 */
export class RuleCollector {
  readonly reasons: Reason[] = [];
  readonly warnings: string[] = [];
  readonly normalized: Record<string, unknown> = {};

  value<T>(field: string, result: RuleResult<T>): T | undefined {
    if (result.ok) {
      // most values carry no warning: a spread call per value cost more than the check
      if (result.warnings.length) this.warnings.push(...result.warnings);
      this.normalized[field] = result.value;
      return result.value;
    }
    this.reasons.push(...result.reasons.map((r) => ({ ...r, field: r.field ?? field })));
    return undefined;
  }

  get failed(): boolean {
    return this.reasons.length > 0;
  }
}

/**
 * Natural keys as text (normalization-rules.md, "What a row is"): the parts joined by `|`.
 *
 * A key that contains another record's natural key (a spell's or contribution's employer) is not
 * fully known when the row names that record by a city legacy key (单位编号): the employer's USC
 * code is only known once the legacy key resolves at load time. Such a key carries a token in
 * its place, and `finalNaturalKey` swaps the token for the resolved key.
 */
import type { Reference } from './types';

export const naturalKey = (...parts: readonly string[]): string => parts.join('|');

/** The placeholder for a record named by city legacy key; `@` never starts a USC, ID or date. */
export const cityRefToken = (entity: string, legacyNo: string): string => `@${entity}:${legacyNo}`;

/**
 * The key with every in-key city reference replaced by the referenced record's natural key, or
 * null while one of them does not resolve.
 */
export function finalNaturalKey(key: string, refs: readonly Reference[], resolvedKey: (ref: Reference) => string | undefined): string | null {
  let out = key;
  for (const ref of refs) {
    if (!ref.inKey || ref.by !== 'city_key') continue;
    const resolved = resolvedKey(ref);
    if (resolved === undefined) return null;
    out = out.replace(cityRefToken(ref.entity, ref.value), resolved);
  }
  return out;
}

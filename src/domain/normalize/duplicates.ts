/**
 * Duplicate resolution within one stream (normalization-rules.md, "Duplicates and conflicts"), the
 * in-memory twin of the set-based statement in activities/resolve-duplicates.ts (used where there
 * is no database: `tongchou mapping check`):
 * - one content per natural key: the first row is the winner, the others exact duplicates;
 * - several contents, every row timestamped and one content strictly latest: it wins, the others
 *   are superseded (identical copies of the latest are duplicates);
 * - otherwise every row of the key is a conflict.
 */

import { groupBy } from './group-by';

export interface DuplicateCandidate {
  rowNo: number;
  entity: string;
  naturalKey: string;
  /** what rows are compared by (a content hash or canonical JSON) */
  content: string;
  /** ISO instant or null */
  updatedAt: string | null;
}

export type DuplicateDecision = 'winner' | 'duplicate' | 'superseded' | 'conflict';

/** A decision per candidate, in the order given. */
export function decideDuplicates(candidates: readonly DuplicateCandidate[]): DuplicateDecision[] {
  const groups = groupBy(candidates.keys(), (i) => `${candidates[i]!.entity}\u0000${candidates[i]!.naturalKey}`);
  const decisions: DuplicateDecision[] = new Array<DuplicateDecision>(candidates.length);
  const time = (c: DuplicateCandidate) => (c.updatedAt === null ? NaN : Date.parse(c.updatedAt));
  for (const members of groups.values()) {
    const rows = members.map((i) => candidates[i]!);
    const firstOf = (idx: number[]) => idx.reduce((a, b) => (candidates[b]!.rowNo < candidates[a]!.rowNo ? b : a));
    if (new Set(rows.map((c) => c.content)).size === 1) {
      const first = firstOf(members);
      for (const i of members) decisions[i] = i === first ? 'winner' : 'duplicate';
      continue;
    }
    const allTimed = rows.every((c) => !Number.isNaN(time(c)));
    const latest = Math.max(...rows.map(time));
    const newest = members.filter((i) => time(candidates[i]!) === latest);
    if (allTimed && new Set(newest.map((i) => candidates[i]!.content)).size === 1) {
      const first = firstOf(newest);
      for (const i of members) decisions[i] = time(candidates[i]!) < latest ? 'superseded' : i === first ? 'winner' : 'duplicate';
      continue;
    }
    for (const i of members) decisions[i] = 'conflict';
  }
  return decisions;
}
